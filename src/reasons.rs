//! Verdict reasons in the user's language. English is the core's own wording; Chinese is
//! written here, one arm per reason, so a new reason cannot ship untranslated.

use crate::i18n::Lang;
use labelcheck_core::freshness::LIST_GRACE_SECS;
use labelcheck_core::label_url::{DamagedLink, NotALabel};
use labelcheck_core::revocation::RevocationReason;
use labelcheck_core::{FetchProblem, Reason};

fn fetch_zh(p: &FetchProblem) -> String {
    match p {
        FetchProblem::NotAttempted => "未获取报告（离线）".into(),
        FetchProblem::Network(e) => format!("无法连接报告服务器（{e}）"),
        FetchProblem::Timeout => "报告服务器响应超时".into(),
        FetchProblem::HttpStatus(s) => format!("报告服务器返回 HTTP 状态 {s}"),
        FetchProblem::Redirected => "报告服务器重定向到其他地址，正规报告不会这样".into(),
        FetchProblem::TooLarge => "报告服务器发送的数据超过报告的大小上限".into(),
        FetchProblem::WrongContentType(t) => format!("报告服务器发送的是 {t}，而不是报告"),
    }
}

fn revocation_zh(r: RevocationReason) -> &'static str {
    match r {
        RevocationReason::Withdrawn => "认证已被撤回",
        RevocationReason::Surrendered => "生产者已放弃认证",
        RevocationReason::Misuse => "标识被冒用或伪造",
        RevocationReason::Superseded => "已被新的认证取代",
    }
}

fn zh(r: &Reason) -> String {
    match r {
        Reason::NotALabel(k) => match k {
            NotALabel::TooLong => "这不是安全标识：二维码中的文字远多于标识所含内容。".into(),
            NotALabel::NotALink => "这不是安全标识：二维码中不是标识链接。".into(),
            NotALabel::NoLabelData => "这不是安全标识：二维码中是一个不含标识数据的网址。".into(),
            NotALabel::InsecureLink => "这不是安全标识：二维码中是未加密（http）的链接，正规标识不会使用。".into(),
        },
        Reason::DamagedLink(d) => match d {
            DamagedLink::UnsupportedVersion => "无法读取标识数据：使用了本验证器不支持的编码版本。".into(),
            DamagedLink::Digits(_) => "无法读取标识数据：数据已损坏。".into(),
        },
        Reason::MalformedClaim(e) => format!("标识数据不是有效的签名声明（{e}）。"),
        Reason::UnknownAuthority { authority } => {
            format!("标识所称的认证机构（{authority}）不在本验证器的信任列表中。")
        }
        Reason::NoKeyList { authority } => format!("尚未加载 {authority} 的密钥列表，无法确认其密钥。"),
        Reason::KeyNotPublished { kid } => format!("标识使用的密钥（{kid}）从未由该认证机构发布。"),
        Reason::ClaimSignatureInvalid { kid } => format!("标识的签名与内容不符（密钥 {kid}）：标识被篡改或伪造。"),
        Reason::KeyNotValidAtSigning {
            kid,
            signed,
            not_before,
            not_after,
        } => format!(
            "标识日期为 {signed}，但密钥 {kid} 仅在 {} 至 {} 期间有效。",
            not_before.date(),
            not_after.date()
        ),
        Reason::UnknownProgramme { programme } => format!("标识所称的认证项目（{programme}）未由该认证机构定义。"),
        Reason::LevelNotInProgramme { level } => format!("标识的等级（{level}）在其认证项目中不存在。"),
        Reason::NotYetValid { from } => format!("该标识自 {from} 起才生效。"),
        Reason::Expired { on } => format!("该认证已于 {on} 结束时过期。"),
        Reason::Revoked { date, reason, note } => {
            let mut s = format!("该认证已于 {date} 被撤销：{}。", revocation_zh(*reason));
            if let Some(n) = note {
                s.push_str(&format!("（{n}）"));
            }
            s
        }
        Reason::ReportHostNotAllowed { host } => {
            format!("报告位于 {host}，该地址不在认证机构公布的报告服务器中，因此未获取。")
        }
        Reason::ReportUnavailable(p) => format!("未核验安全报告：{}。", fetch_zh(p)),
        Reason::ReportUnreadable(e) => format!("无法读取安全报告（{e}）。"),
        Reason::ReportKeyNotPublished { kid } => format!("报告使用的密钥（{kid}）从未由该认证机构发布。"),
        Reason::ReportSignatureInvalid { kid } => format!("报告的签名与内容不符（密钥 {kid}）：报告被篡改。"),
        Reason::ReportKeyNotValidAtSigning { kid, signed } => format!("报告日期为 {signed}，当时密钥 {kid} 无效。"),
        Reason::ReportDigestMismatch => "该报告不是此标识签发时所附的报告（摘要不一致）。".into(),
        Reason::ReportFieldMismatch { fields } => {
            format!("该报告描述的是另一产品或标识（不一致的字段：{}）。", fields.join("、"))
        }
        Reason::ClaimVerified { kid } => format!("标识由认证机构签名（密钥 {kid}）。"),
        Reason::ReportVerified { kid } => format!("安全报告由认证机构签名（密钥 {kid}），且属于此标识。"),
        Reason::NotRevoked {
            list_version,
            list_issued,
        } => {
            format!(
                "根据 {} 发布的第 {list_version} 版撤销列表，未被撤销。",
                list_issued.date()
            )
        }
        Reason::KeyListExpired { on } => format!("认证机构的密钥列表已于 {} 过期，且未能加载更新的列表。", on.date()),
        Reason::KeyListTooOld { on } => format!(
            "无法确认认证机构的密钥：其密钥列表已于 {} 过期，超过 {} 天，且未能加载更新的列表。",
            on.date(),
            LIST_GRACE_SECS / 86_400
        ),
        Reason::RevocationListMissing => "无法确认撤销状态：未能加载该认证机构的撤销列表。".into(),
        Reason::RevocationListExpired { on } => format!("撤销列表已于 {} 过期；此后的撤销不会显示。", on.date()),
        Reason::RevocationListTooOld { on } => format!(
            "无法确认撤销状态：撤销列表已于 {} 过期，超过 {} 天，且未能加载更新的列表。",
            on.date(),
            LIST_GRACE_SECS / 86_400
        ),
        Reason::ClockBehind { now, signed } => format!(
            "本设备的日期（{}）早于认证机构签发列表的日期（{}）：请更正日期和时间后重新检查。",
            now.date(),
            signed.date()
        ),
        Reason::DemoAuthority => "此标识来自演示认证机构，并非真实认证。".into(),
    }
}

pub fn reason(lang: Lang, r: &Reason) -> String {
    match lang {
        Lang::En => r.to_string(),
        Lang::Zh => zh(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use labelcheck_core::{Date, Timestamp};

    /// One of every reason: the match in `zh` is exhaustive, this list keeps the test honest.
    fn every_reason() -> Vec<Reason> {
        let d = Date(20_000);
        let t = Timestamp(1_700_000_000);
        vec![
            Reason::NotALabel(NotALabel::TooLong),
            Reason::NotALabel(NotALabel::NotALink),
            Reason::NotALabel(NotALabel::NoLabelData),
            Reason::NotALabel(NotALabel::InsecureLink),
            Reason::DamagedLink(DamagedLink::UnsupportedVersion),
            Reason::MalformedClaim(labelcheck_core::claim::ClaimError::NotCoseSign1),
            Reason::UnknownAuthority { authority: "X".into() },
            Reason::NoKeyList { authority: "X".into() },
            Reason::KeyNotPublished { kid: "k".into() },
            Reason::ClaimSignatureInvalid { kid: "k".into() },
            Reason::KeyNotValidAtSigning {
                kid: "k".into(),
                signed: d,
                not_before: t,
                not_after: t,
            },
            Reason::UnknownProgramme { programme: 9 },
            Reason::LevelNotInProgramme { level: 4 },
            Reason::NotYetValid { from: d },
            Reason::Expired { on: d },
            Reason::Revoked {
                date: d,
                reason: RevocationReason::Misuse,
                note: Some("n".into()),
            },
            Reason::ReportHostNotAllowed { host: "h".into() },
            Reason::ReportUnavailable(FetchProblem::Timeout),
            Reason::ReportUnreadable("x".into()),
            Reason::ReportKeyNotPublished { kid: "k".into() },
            Reason::ReportSignatureInvalid { kid: "k".into() },
            Reason::ReportKeyNotValidAtSigning {
                kid: "k".into(),
                signed: t,
            },
            Reason::ReportDigestMismatch,
            Reason::ReportFieldMismatch { fields: vec!["level"] },
            Reason::ClaimVerified { kid: "k".into() },
            Reason::ReportVerified { kid: "k".into() },
            Reason::NotRevoked {
                list_version: 1,
                list_issued: t,
            },
            Reason::KeyListExpired { on: t },
            Reason::RevocationListMissing,
            Reason::RevocationListExpired { on: t },
            Reason::KeyListTooOld { on: t },
            Reason::RevocationListTooOld { on: t },
            Reason::ClockBehind { now: t, signed: t },
            Reason::DemoAuthority,
        ]
    }

    #[test]
    fn every_reason_is_translated() {
        let all = every_reason();
        let mut codes: Vec<&str> = all.iter().map(Reason::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 31, "every reason code is covered");
        for r in &all {
            let zh = reason(Lang::Zh, r);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
            assert_ne!(zh, reason(Lang::En, r));
        }
    }
}

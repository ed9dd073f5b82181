//! English and Simplified Chinese: every string the app shows. Chosen from the browser's
//! languages, switchable, remembered. Exhaustive matches make a missing translation a
//! compile error; `tests` checks that no translation is empty or left in English.

use labelcheck_core::VerdictKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The first of the browser's preferred languages that we speak; English otherwise.
    pub fn from_preferences<'a>(tags: impl IntoIterator<Item = &'a str>) -> Lang {
        for tag in tags {
            let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
            match primary.as_str() {
                "zh" => return Lang::Zh,
                "en" => return Lang::En,
                _ => {}
            }
        }
        Lang::En
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

macro_rules! messages {
    ($($name:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($name),* }

        impl Msg {
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];
        }

        pub fn t(lang: Lang, msg: Msg) -> &'static str {
            match (lang, msg) {
                $((Lang::En, Msg::$name) => $en,)*
                $((Lang::Zh, Msg::$name) => $zh,)*
            }
        }
    };
}

messages! {
    Tagline => "Is this security label genuine?", "这个网络安全标识是真的吗？";
    SwitchLanguage => "中文", "English";
    SwitchLanguageLabel => "Switch to Chinese", "切换到英文";
    ScanWithCamera => "Scan a label with the camera", "用相机扫描标识";
    StopCamera => "Stop camera", "关闭相机";
    SwitchCamera => "Switch camera", "切换相机";
    TorchOn => "Light on", "打开补光";
    TorchOff => "Light off", "关闭补光";
    PointAtCode => "Point the camera at the label's QR code.", "请将相机对准标识上的二维码。";
    CameraStarting => "Starting the camera…", "正在打开相机…";
    CameraDenied => "The camera is blocked for this page. Allow camera access in the browser's site settings, or scan a photo instead.", "此页面的相机权限被阻止。请在浏览器的网站设置中允许使用相机，或改为扫描照片。";
    CameraMissing => "No camera was found on this device. Scan a photo or paste the label's link instead.", "此设备上没有找到相机。请扫描照片或粘贴标识链接。";
    CameraInsecure => "The camera only works on a secure (https) page. Open this app over https, or scan a photo instead.", "相机只能在安全（https）页面上使用。请通过 https 打开本应用，或改为扫描照片。";
    CameraFailed => "The camera could not be started.", "无法打开相机。";
    ScannerRestarted => "The code reader stopped on a difficult image and was restarted.", "二维码识别器在处理一张困难图像时停止，已重新启动。";
    ScanPhoto => "Scan a photo of a label", "扫描标识照片";
    PhotoReading => "Reading the photo…", "正在读取照片…";
    PhotoNoCode => "No QR code was found in this photo. Try a sharper, closer photo of the label.", "照片中没有找到二维码。请拍一张更清晰、更近的标识照片。";
    PhotoUnreadable => "This file could not be opened as an image.", "无法将此文件作为图片打开。";
    PasteLabel => "Label link or code text", "标识链接或二维码文字";
    Verify => "Verify", "验证";
    Checking => "Checking the label…", "正在验证标识…";
    ScanAnother => "Scan another label", "扫描其他标识";
    ComparePrinted => "Compare with the printed label", "请与印刷的标识对比";
    StarsOf => "stars of", "星，满分";
    Maker => "Maker", "生产者";
    Model => "Model", "型号";
    Serial => "Serial", "编号";
    Valid => "Valid", "有效期";
    ValidTo => "to", "至";
    Gtin => "Product code (GTIN)", "商品条码（GTIN）";
    CodeText => "The code contains this text. It was not opened:", "二维码包含以下文字，未被打开：";
    SecurityReport => "Security report", "安全报告";
    ProductTested => "Product tested", "受测产品";
    Product => "Product", "产品";
    Category => "Category", "类别";
    Hardware => "Hardware version", "硬件版本";
    FirmwareTested => "Firmware tested", "受测固件";
    SupportUntil => "Security updates until", "安全更新支持至";
    TestResults => "Test results", "测试结果";
    ClausePass => "pass", "通过";
    ClauseFail => "fail", "不通过";
    ClauseNotApplicable => "not applicable", "不适用";
    TestedBy => "Tested by", "检测机构";
    TestedOn => "on", "检测日期";
    UpdatesPasswords => "Updates, passwords and vulnerability contact", "更新、密码与漏洞报告";
    UpdatePolicy => "Update policy", "更新策略";
    DefaultPassword => "Default password", "默认密码";
    VulnerabilityContact => "Report a vulnerability", "报告漏洞";
    Authority => "Authority", "认证机构";
    SigningKey => "Signing key", "签名密钥";
    KeyList => "Key list", "密钥列表";
    RevocationList => "Revocation list", "撤销列表";
    Version => "version", "版本";
    Issued => "issued", "发布于";
    Today => "today", "今天";
    DayAgo => "1 day ago", "1 天前";
    DaysAgo => "days ago", "天前";
    AllChecks => "All checks", "全部检查项";
    DemoBadge => "DEMO authority: not a real certification", "演示机构：非真实认证";
    DemoTitle => "Demo labels (not real certifications)", "演示标识（非真实认证）";
    DemoIntro => "Each label shows one case the verifier must catch. Scan one with a phone, or verify it here.", "每个标识演示一种验证器必须识别的情况。可以用手机扫描，也可以在这里验证。";
    DemoVerify => "Verify", "验证";
    ListsLoading => "Loading the authorities' key lists…", "正在加载认证机构的密钥列表…";
    ListsProblems => "Some lists could not be updated", "部分列表未能更新";
    TrustMissing => "The app's list of trusted authorities could not be loaded.", "无法加载本应用的受信任认证机构列表。";
    AuditTitle => "Audit a shelf or shipment", "审核货架或批次";
    AuditIntro => "Scan label after label: each one is listed with its verdict, a serial seen on two products is flagged as a cloned label, and the list is kept on this device until you export or delete it.", "逐个扫描标识：每个标识连同验证结论列入清单，同一编号出现在两件产品上时标记为克隆标识；清单只保存在本设备上，直到您导出或删除。";
    AuditName => "Name of this audit", "本次审核名称";
    AuditDefaultName => "Audit", "审核";
    AuditStart => "Start audit", "开始审核";
    AuditSaved => "Saved audits", "已保存的审核";
    AuditOpen => "Open", "打开";
    AuditDelete => "Delete audit", "删除审核";
    AuditDeleteConfirm => "Delete this audit and every item in it from this device? Export it first if you need it.", "要从本设备删除此审核及其中所有项目吗？如需保留，请先导出。";
    AuditClose => "Close audit", "关闭审核";
    AuditExportCsv => "Export CSV", "导出 CSV";
    AuditExportJson => "Export JSON", "导出 JSON";
    AuditItems => "labels", "个标识";
    AuditEmpty => "No labels yet: start the camera and point it at the first label. It keeps scanning.", "尚无标识：请打开相机并对准第一个标识，相机会持续扫描。";
    AuditKeptHere => "Saved on this device only. Nothing leaves it unless you export.", "仅保存在本设备上。除非您导出，否则不会离开本设备。";
    AuditSaveFailed => "Could not save on this device:", "无法保存到本设备：";
    AuditStoreFailed => "Saved audits could not be read on this device:", "无法读取本设备上已保存的审核：";
    AuditClone => "Cloned label? The same serial is on item", "疑似克隆标识：相同编号也出现在项目";
    AuditClones => "Cloned labels (one serial on several products)", "克隆标识（同一编号出现在多件产品上）";
    AuditNoClones => "No serial was seen on more than one product.", "没有编号出现在一件以上的产品上。";
    AuditRepeat => "This label is already in the audit as item", "此标识已作为以下项目列入审核：项目";
    AuditSameProduct => "Same product (ignore)", "同一件产品（忽略）";
    AuditAnotherProduct => "Another product (add it)", "另一件产品（加入）";
    AuditNote => "Note", "备注";
    AuditExpected => "Model or GTIN on the product", "产品上的型号或 GTIN";
    AuditMismatch => "Does not match the signed label: possibly a genuine label on another product.", "与签名标识不符：可能是贴在其他产品上的真实标识。";
    AuditRemove => "Remove", "移除";
    AuditItem => "Item", "项目";
    AuditSourceCamera => "camera", "相机";
    AuditSourcePhoto => "photo", "照片";
    AuditSourceTyped => "typed", "输入";
    AuditVerdicts => "Verdicts", "验证结论";
    Privacy => "Verification happens on this device. Nothing you scan is sent anywhere, except that the label's own report is fetched from the authority.", "验证在本设备上完成。扫描内容不会发送到任何地方，只会从认证机构获取该标识自己的报告。";
}

pub fn verdict_word(lang: Lang, kind: VerdictKind) -> &'static str {
    match (lang, kind) {
        (Lang::En, VerdictKind::Genuine) => "Genuine",
        (Lang::En, VerdictKind::GenuineOffline) => "Genuine, verified offline",
        (Lang::En, VerdictKind::NotGenuine) => "Not genuine",
        (Lang::En, VerdictKind::Revoked) => "Revoked",
        (Lang::En, VerdictKind::Expired) => "Expired",
        (Lang::En, VerdictKind::UnknownAuthority) => "Unknown authority",
        (Lang::En, VerdictKind::NotALabel) => "Not a label",
        (Lang::En, VerdictKind::CannotCheck) => "Cannot check",
        (Lang::Zh, VerdictKind::Genuine) => "真实",
        (Lang::Zh, VerdictKind::GenuineOffline) => "真实（离线验证）",
        (Lang::Zh, VerdictKind::NotGenuine) => "非真实",
        (Lang::Zh, VerdictKind::Revoked) => "已撤销",
        (Lang::Zh, VerdictKind::Expired) => "已过期",
        (Lang::Zh, VerdictKind::UnknownAuthority) => "未知认证机构",
        (Lang::Zh, VerdictKind::NotALabel) => "不是安全标识",
        (Lang::Zh, VerdictKind::CannotCheck) => "无法验证",
    }
}

/// The icon shown with each verdict, beside its word and colour (never colour alone).
pub fn verdict_icon(kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Genuine | VerdictKind::GenuineOffline => "✔",
        VerdictKind::NotGenuine => "✖",
        VerdictKind::Revoked => "⊘",
        VerdictKind::Expired => "⌛",
        VerdictKind::UnknownAuthority => "?",
        VerdictKind::NotALabel => "ℹ",
        VerdictKind::CannotCheck => "⚠",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        for &m in Msg::ALL {
            assert!(!t(Lang::En, m).is_empty(), "{m:?} has no English");
            assert!(!t(Lang::Zh, m).is_empty(), "{m:?} has no Chinese");
            // The language switch names the other language, so it is the one exception.
            if m != Msg::SwitchLanguage {
                assert!(has_cjk(t(Lang::Zh, m)), "{m:?} is not translated: {}", t(Lang::Zh, m));
                assert!(!has_cjk(t(Lang::En, m)), "{m:?} English text has Chinese");
            }
        }
        for k in VerdictKind::ALL {
            assert!(has_cjk(verdict_word(Lang::Zh, k)));
            assert_ne!(verdict_word(Lang::En, k), verdict_word(Lang::Zh, k));
        }
    }

    #[test]
    fn language_from_browser_preferences() {
        assert_eq!(Lang::from_preferences(["zh-CN", "en"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["fr-FR", "zh-TW"]), Lang::Zh);
        assert_eq!(Lang::from_preferences(["de", "en-GB"]), Lang::En);
        assert_eq!(Lang::from_preferences([]), Lang::En);
        assert_eq!(Lang::from_code("zh-CN"), Some(Lang::Zh));
    }
}

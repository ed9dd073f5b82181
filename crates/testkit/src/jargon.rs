//! Words a shopper should not meet in a verdict's first line: key ids, digests, host names,
//! raw errors and format names belong under the details, for inspectors. Shared by the word
//! tables' tests and the browser tests, so both hold the screens to one list.

const ENGLISH: [&str; 12] = [
    "key",
    "digest",
    "host",
    "http",
    "error",
    "jws",
    "cose",
    "cbor",
    "json",
    "signature",
    "k1",
    "typeerror",
];
const CHINESE: [&str; 5] = ["密钥", "摘要", "服务器", "签名", "HTTP"];

/// The jargon words in `line`: whole words, ignoring case, for English; contained anywhere
/// for Chinese (no spaces between words there).
pub fn jargon_in(line: &str, chinese: bool) -> Vec<&'static str> {
    if chinese {
        return CHINESE.iter().copied().filter(|w| line.contains(w)).collect();
    }
    let lower = line.to_lowercase();
    ENGLISH
        .iter()
        .copied()
        .filter(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_only() {
        assert_eq!(jargon_in("The Key k1 is unknown", false), vec!["key", "k1"]);
        assert!(jargon_in("Keyboard hosting", false).is_empty());
        assert_eq!(jargon_in("签名无效", true), vec!["签名"]);
    }
}

//! UUIDs as libvirt parses and prints them.

/// Parse a UUID the way libvirt's `virUUIDParse` does: 32 hex digits, optionally separated by
/// dashes between byte pairs, with surrounding spaces allowed.
pub fn parse(s: &str) -> Option<[u8; 16]> {
    let s = s.trim_matches(' ');
    let mut out = [0u8; 16];
    let mut digits = s.chars().filter(|c| *c != '-');
    if s.chars().filter(|c| *c != '-').count() != 32 {
        return None;
    }
    for b in out.iter_mut() {
        let hi = digits.next()?.to_digit(16)?;
        let lo = digits.next()?.to_digit(16)?;
        *b = (hi * 16 + lo) as u8;
    }
    // Dashes may only separate whole bytes.
    let mut hex = 0;
    for c in s.chars() {
        if c == '-' {
            if hex % 2 != 0 {
                return None;
            }
        } else {
            hex += 1;
        }
    }
    Some(out)
}

/// Format as the canonical 36-character lower-case string.
pub fn format(u: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trip() {
        let u = super::parse("6695eb01-f6a4-8304-79aa-97f2502e193f").unwrap();
        assert_eq!(super::format(&u), "6695eb01-f6a4-8304-79aa-97f2502e193f");
        assert_eq!(super::parse("6695eb01f6a4830479aa97f2502e193f"), Some(u));
        assert_eq!(super::parse("zz"), None);
        assert_eq!(super::parse("6695eb01-f6a4-8304-79aa-97f2502e193"), None);
    }
}

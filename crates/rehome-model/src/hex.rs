//! Lower-case hex: how hashes and random ids are written everywhere (photo
//! names, upload ids, cache keys). A SHA-256 needs none of this:
//! `format!("{:x}", Sha256::digest(bytes))`.

/// `bytes` as lower-case hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_lower_case_digits_a_byte() {
        for (bytes, want) in [
            (&[][..], ""),
            (&[0x00][..], "00"),
            (&[0x0f, 0xa0, 0xff][..], "0fa0ff"),
        ] {
            assert_eq!(super::hex(bytes), want, "{bytes:?}");
        }
    }
}

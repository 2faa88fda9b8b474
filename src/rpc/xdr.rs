//! XDR (RFC 4506) as libvirt's RPC uses it: big-endian 4-byte units, zero padding, `char` and
//! `short` widened to a full word, optional data as a 0/1 word. The decoder never trusts a length
//! it reads: every string and array has a cap, and a count is checked against the bytes left
//! before anything is allocated.

use std::fmt;

/// Why a payload could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XdrError {
    /// The payload ended before the item did.
    Short { want: usize, left: usize },
    /// A length or count above the protocol's limit.
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    /// Bytes left over after the last item.
    Trailing(usize),
    /// A value outside its type (bad bool, bad optional flag, invalid UTF-8, ...).
    Invalid(&'static str),
}

impl fmt::Display for XdrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XdrError::Short { want, left } => {
                write!(f, "truncated data: need {want} bytes, {left} left")
            }
            XdrError::TooLong { what, len, max } => {
                write!(f, "{what} length {len} exceeds maximum {max}")
            }
            XdrError::Trailing(n) => write!(f, "{n} unexpected trailing bytes"),
            XdrError::Invalid(what) => write!(f, "invalid {what}"),
        }
    }
}

pub type XResult<T> = std::result::Result<T, XdrError>;

fn pad(len: usize) -> usize {
    (4 - len % 4) % 4
}

/// An XDR encoder writing into a growable buffer.
#[derive(Default, Debug, Clone)]
pub struct Enc {
    pub buf: Vec<u8>,
}

impl Enc {
    pub fn new() -> Self {
        Enc { buf: Vec::new() }
    }
    pub fn with_buf(buf: Vec<u8>) -> Self {
        Enc { buf }
    }
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn i64(&mut self, v: i64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.u32(v as u32)
    }
    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.u64(v.to_bits())
    }
    pub fn f32(&mut self, v: f32) -> &mut Self {
        self.u32(v.to_bits())
    }
    /// Fixed-length opaque data: the bytes and their padding, no length word.
    pub fn opaque_fixed(&mut self, data: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(data);
        self.buf.extend(std::iter::repeat_n(0u8, pad(data.len())));
        self
    }
    /// Variable-length opaque data: a length word, the bytes, padding.
    pub fn opaque(&mut self, data: &[u8]) -> &mut Self {
        self.u32(data.len() as u32);
        self.opaque_fixed(data)
    }
    /// `string<N>`: same wire form as variable opaque.
    pub fn string(&mut self, s: &str) -> &mut Self {
        self.opaque(s.as_bytes())
    }
    /// `string *`: a presence word, then the string.
    pub fn opt_string(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.u32(1).string(s),
            None => self.u32(0),
        }
    }
}

/// An XDR decoder over one payload.
#[derive(Debug, Clone)]
pub struct Dec<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Dec<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Dec { data, pos: 0 }
    }
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
    pub fn position(&self) -> usize {
        self.pos
    }
    /// Fail unless every byte was consumed.
    pub fn finish(&self) -> XResult<()> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(XdrError::Trailing(n)),
        }
    }
    fn take(&mut self, n: usize) -> XResult<&'a [u8]> {
        let left = self.remaining();
        if n > left {
            return Err(XdrError::Short { want: n, left });
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn word(&mut self) -> XResult<[u8; 4]> {
        let b = self.take(4)?;
        Ok([b[0], b[1], b[2], b[3]])
    }
    pub fn u32(&mut self) -> XResult<u32> {
        Ok(u32::from_be_bytes(self.word()?))
    }
    pub fn i32(&mut self) -> XResult<i32> {
        Ok(i32::from_be_bytes(self.word()?))
    }
    pub fn u64(&mut self) -> XResult<u64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }
    pub fn i64(&mut self) -> XResult<i64> {
        Ok(self.u64()? as i64)
    }
    pub fn f64(&mut self) -> XResult<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    pub fn f32(&mut self) -> XResult<f32> {
        Ok(f32::from_bits(self.u32()?))
    }
    /// XDR bool: exactly 0 or 1.
    pub fn bool(&mut self) -> XResult<bool> {
        match self.u32()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(XdrError::Invalid("boolean")),
        }
    }
    /// The presence word of optional data.
    pub fn present(&mut self) -> XResult<bool> {
        match self.u32()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(XdrError::Invalid("optional-data flag")),
        }
    }
    fn skip_pad(&mut self, len: usize) -> XResult<()> {
        let p = self.take(pad(len))?;
        if p.iter().any(|b| *b != 0) {
            return Err(XdrError::Invalid("padding"));
        }
        Ok(())
    }
    pub fn opaque_fixed(&mut self, n: usize) -> XResult<&'a [u8]> {
        let b = self.take(n)?;
        self.skip_pad(n)?;
        Ok(b)
    }
    /// `opaque x[N]` as an array.
    pub fn opaque_array<const N: usize>(&mut self) -> XResult<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.opaque_fixed(N)?);
        Ok(a)
    }
    /// Variable-length opaque data of at most `max` bytes.
    pub fn opaque(&mut self, max: usize) -> XResult<&'a [u8]> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(XdrError::TooLong {
                what: "opaque",
                len,
                max,
            });
        }
        self.opaque_fixed(len)
    }
    /// `string<max>`; must be valid UTF-8 (libvirt's strings are).
    pub fn string(&mut self, max: usize) -> XResult<String> {
        let len = self.u32()? as usize;
        if len > max {
            return Err(XdrError::TooLong {
                what: "string",
                len,
                max,
            });
        }
        let b = self.opaque_fixed(len)?;
        match std::str::from_utf8(b) {
            Ok(s) => Ok(s.to_string()),
            // libvirt does not promise UTF-8 (e.g. hostnames); keep what can be kept.
            Err(_) => Ok(String::from_utf8_lossy(b).into_owned()),
        }
    }
    pub fn opt_string(&mut self, max: usize) -> XResult<Option<String>> {
        if self.present()? {
            Ok(Some(self.string(max)?))
        } else {
            Ok(None)
        }
    }
    /// The element count of `T x<max>`, checked against the limit and against the bytes left
    /// (every element takes at least `min_elem` bytes), so no huge allocation can follow.
    pub fn count(&mut self, max: usize, min_elem: usize) -> XResult<usize> {
        let n = self.u32()? as usize;
        if n > max {
            return Err(XdrError::TooLong {
                what: "array",
                len: n,
                max,
            });
        }
        let need = n.saturating_mul(min_elem.max(1));
        if need > self.remaining() {
            return Err(XdrError::Short {
                want: need,
                left: self.remaining(),
            });
        }
        Ok(n)
    }
    /// `T x<max>`: the count (checked as by [`Dec::count`]), then each element by `f`.
    pub fn vec<T>(
        &mut self,
        max: usize,
        min_elem: usize,
        mut f: impl FnMut(&mut Self) -> XResult<T>,
    ) -> XResult<Vec<T>> {
        let n = self.count(max, min_elem)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(f(self)?);
        }
        Ok(v)
    }
    /// `T x[N]`: exactly `N` elements by `f`.
    pub fn array<T, const N: usize>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> XResult<T>,
    ) -> XResult<[T; N]> {
        let mut v = Vec::with_capacity(N);
        for _ in 0..N {
            v.push(f(self)?);
        }
        v.try_into().map_err(|_| XdrError::Invalid("fixed array"))
    }
}

/// A type with an XDR wire form. `MIN_WIRE` is the fewest bytes one value takes, so that an
/// array count can be checked against the bytes left before anything is allocated.
pub trait Xdr: Sized {
    const MIN_WIRE: usize;
    fn enc(&self, e: &mut Enc);
    fn dec(d: &mut Dec<'_>) -> XResult<Self>;

    /// This value alone as a payload.
    fn to_xdr(&self) -> Vec<u8> {
        let mut e = Enc::new();
        self.enc(&mut e);
        e.into_inner()
    }
    /// A whole payload as one value: anything left over is an error.
    fn from_xdr(data: &[u8]) -> XResult<Self> {
        let mut d = Dec::new(data);
        let v = Self::dec(&mut d)?;
        d.finish()?;
        Ok(v)
    }
}

/// `void`: no bytes.
impl Xdr for () {
    const MIN_WIRE: usize = 0;
    fn enc(&self, _: &mut Enc) {}
    fn dec(_: &mut Dec<'_>) -> XResult<Self> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_pad_to_words() {
        let mut e = Enc::new();
        e.string("test:///default");
        assert_eq!(e.buf.len(), 4 + 16);
        assert_eq!(&e.buf[..4], &[0, 0, 0, 15]);
        assert_eq!(e.buf[19], 0);
        let mut d = Dec::new(&e.buf);
        assert_eq!(d.string(100).unwrap(), "test:///default");
        d.finish().unwrap();
    }

    #[test]
    fn optional_and_scalars_round_trip() {
        let mut e = Enc::new();
        e.opt_string(None)
            .opt_string(Some("x"))
            .i32(-1)
            .u64(9_000_000)
            .bool(true)
            .opaque_fixed(&[1, 2, 3]);
        let mut d = Dec::new(&e.buf);
        assert_eq!(d.opt_string(10).unwrap(), None);
        assert_eq!(d.opt_string(10).unwrap().as_deref(), Some("x"));
        assert_eq!(d.i32().unwrap(), -1);
        assert_eq!(d.u64().unwrap(), 9_000_000);
        assert!(d.bool().unwrap());
        assert_eq!(d.opaque_fixed(3).unwrap(), &[1, 2, 3]);
        d.finish().unwrap();
    }

    #[test]
    fn lengths_are_never_trusted() {
        // A string claiming 4 GiB.
        let mut d = Dec::new(&[0xff, 0xff, 0xff, 0xff, b'a', 0, 0, 0]);
        assert!(matches!(d.string(1 << 22), Err(XdrError::TooLong { .. })));
        // A string longer than what is left.
        let mut d = Dec::new(&[0, 0, 0, 9, b'a', 0, 0, 0]);
        assert!(matches!(d.string(100), Err(XdrError::Short { .. })));
        // An array count that fits the cap but not the payload.
        let mut d = Dec::new(&[0, 0, 0x40, 0, 0, 0, 0, 0]);
        assert!(matches!(d.count(16384, 24), Err(XdrError::Short { .. })));
        // Count above the cap.
        let mut d = Dec::new(&[0, 0, 0x40, 1]);
        assert!(matches!(d.count(16384, 1), Err(XdrError::TooLong { .. })));
        // Bad optional flag and bad padding.
        assert!(Dec::new(&[0, 0, 0, 2]).present().is_err());
        assert!(Dec::new(&[0, 0, 0, 1, b'a', 1, 0, 0]).string(10).is_err());
        assert!(Dec::new(&[0, 0]).u32().is_err());
        let mut d = Dec::new(&[0, 0, 0, 0, 7]);
        d.u32().unwrap();
        assert_eq!(d.finish(), Err(XdrError::Trailing(1)));
    }
}

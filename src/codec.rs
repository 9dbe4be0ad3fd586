//! The TLS presentation language as RFC 9420 uses it (§2.1): a hand-written [`Reader`]
//! over a byte slice and the [`Codec`] trait that every wire struct implements.
//!
//! Decoding never panics and never allocates more than the input holds: every length is
//! checked against the bytes that remain before anything is read.

use crate::error::DecodeError;

/// The largest length a variable-length vector header can carry (§2.1.2): 2^30 - 1.
pub const MAX_VECTOR_LEN: usize = (1 << 30) - 1;

/// A cursor over bytes received from a peer.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.data.len()
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The bytes not read yet, without consuming them.
    pub fn rest(&self) -> &'a [u8] {
        self.data
    }

    /// Reads exactly `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.data.len() {
            return Err(DecodeError::Truncated {
                needed: n,
                remaining: self.data.len(),
            });
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    /// Reads a fixed-size array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Reads a `uint8`.
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    /// Reads a big-endian `uint16`.
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `uint32`.
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian `uint64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Reads a variable-length integer header (§2.1.2): the top two bits of the first
    /// byte give its size (`00` one byte, `01` two, `10` four); `11` is reserved. The
    /// value must use the shortest encoding.
    pub fn varint(&mut self) -> Result<usize, DecodeError> {
        let first = *self.data.first().ok_or(DecodeError::Truncated {
            needed: 1,
            remaining: 0,
        })?;
        let (len, min) = match first >> 6 {
            0b00 => (1, 0),
            0b01 => (2, 1 << 6),
            0b10 => (4, 1 << 14),
            _ => return Err(DecodeError::ReservedLengthPrefix),
        };
        let bytes = self.take(len)?;
        let mut value = usize::from(bytes[0] & 0x3f);
        for b in &bytes[1..] {
            value = (value << 8) | usize::from(*b);
        }
        if value < min {
            return Err(DecodeError::NonMinimalLength);
        }
        Ok(value)
    }

    /// Reads an `opaque data<V>`: a variable-length header, then that many bytes.
    pub fn opaque(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.varint()?;
        self.take(len)
    }

    /// Reads the header of a vector `T items<V>` and returns a reader over its body.
    pub fn vector(&mut self) -> Result<Reader<'a>, DecodeError> {
        Ok(Reader::new(self.opaque()?))
    }

    /// Succeeds only if every byte has been read.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.data.len() {
            0 => Ok(()),
            n => Err(DecodeError::TrailingBytes(n)),
        }
    }
}

/// Writes a variable-length integer header (§2.1.2) in its shortest form.
///
/// Every length we encode is of a value we hold in memory that either came from a decode
/// (so it is at most [`MAX_VECTOR_LEN`]) or was built by us from small parts; a longer
/// one is a bug in this crate, not something a peer can cause.
pub fn write_varint(out: &mut Vec<u8>, len: usize) {
    assert!(
        len <= MAX_VECTOR_LEN,
        "vector of {len} bytes cannot be encoded"
    );
    if len < 1 << 6 {
        out.push(len as u8);
    } else if len < 1 << 14 {
        out.extend_from_slice(&(0x4000 | len as u16).to_be_bytes());
    } else {
        out.extend_from_slice(&(0x8000_0000 | len as u32).to_be_bytes());
    }
}

/// Writes an `opaque data<V>`.
pub fn write_opaque(out: &mut Vec<u8>, bytes: &[u8]) {
    write_varint(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Writes a vector whose body `body` encodes, prefixed by its length.
pub fn write_vector(out: &mut Vec<u8>, body: impl FnOnce(&mut Vec<u8>)) {
    let mut inner = Vec::new();
    body(&mut inner);
    write_opaque(out, &inner);
}

/// A value with a TLS-presentation-language encoding.
pub trait Codec: Sized {
    /// Appends the encoding of `self` to `out`.
    fn encode(&self, out: &mut Vec<u8>);

    /// Reads one value from `r`.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// The encoding of `self` as a new vector.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Decodes a whole message: fails if any byte is left over.
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let value = Self::decode(&mut r)?;
        r.finish()?;
        Ok(value)
    }
}

macro_rules! codec_uint {
    ($t:ty, $read:ident) => {
        impl Codec for $t {
            fn encode(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_be_bytes());
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read()
            }
        }
    };
}
codec_uint!(u8, u8);
codec_uint!(u16, u16);
codec_uint!(u32, u32);
codec_uint!(u64, u64);

/// `T items<V>`: a variable-length vector. (`Vec<u8>` is `opaque<V>`.)
impl<T: Codec> Codec for Vec<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        write_vector(out, |body| {
            for item in self {
                item.encode(body);
            }
        });
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut body = r.vector()?;
        let mut items = Vec::new();
        while !body.is_empty() {
            items.push(T::decode(&mut body)?);
        }
        Ok(items)
    }
}

/// `optional<T>` (§2.1.2 of RFC 9420 via its presentation language): a presence byte,
/// exactly 0 or 1, then the value when present.
impl<T: Codec> Codec for Option<T> {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.encode(out);
            }
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::decode(r)?)),
            other => Err(DecodeError::InvalidOptional(other)),
        }
    }
}

/// Fixed-size opaque arrays such as `opaque reuse_guard[4]`.
impl<const N: usize> Codec for [u8; N] {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array()
    }
}

/// True for the GREASE code points of RFC 9420 §13.5 (0x0A0A, 0x1A1A, ..., 0xEAEA).
pub fn is_grease(value: u16) -> bool {
    let [hi, lo] = value.to_be_bytes();
    hi == lo && lo & 0x0f == 0x0a
}

/// Declares a wire enum: an integer newtype with named constants, so that unknown and
/// GREASE values decode and re-encode unchanged.
///
/// ```
/// mls_webapi::wire_enum! {
///     /// An example.
///     pub struct Colour(u16) {
///         /// Red.
///         RED = 1,
///     }
/// }
/// assert_eq!(format!("{:?}", Colour::RED), "RED");
/// assert_eq!(format!("{:?}", Colour(0x0a0a)), "Colour(0x0a0a)");
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($int:ty) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub $int);

        impl $name {
            $( $(#[$vmeta])* pub const $variant: Self = Self($value); )*

            /// The RFC's name for this value, if it has one.
            pub fn name(&self) -> Option<&'static str> {
                $( if *self == Self::$variant { return Some(stringify!($variant)); } )*
                None
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self.name() {
                    Some(n) => f.write_str(n),
                    None => write!(
                        f,
                        concat!(stringify!($name), "(0x{:0w$x})"),
                        self.0,
                        w = 2 * core::mem::size_of::<$int>()
                    ),
                }
            }
        }

        impl $crate::codec::Codec for $name {
            fn encode(&self, out: &mut Vec<u8>) {
                $crate::codec::Codec::encode(&self.0, out)
            }
            fn decode(
                r: &mut $crate::codec::Reader<'_>,
            ) -> Result<Self, $crate::error::DecodeError> {
                <$int as $crate::codec::Codec>::decode(r).map(Self)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(bytes: &[u8]) -> Result<usize, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = r.varint()?;
        r.finish()?;
        Ok(v)
    }

    #[test]
    fn a_length_round_trips_through_its_shortest_header() {
        for len in [0usize, 1, 63, 64, 16383, 16384, MAX_VECTOR_LEN] {
            let mut out = Vec::new();
            write_varint(&mut out, len);
            assert_eq!(header(&out), Ok(len), "length {len}");
        }
    }

    #[test]
    fn a_header_with_the_reserved_prefix_is_rejected() {
        assert_eq!(header(&[0xc0]), Err(DecodeError::ReservedLengthPrefix));
        assert_eq!(
            header(&[0xff, 0, 0, 0, 0, 0, 0, 0]),
            Err(DecodeError::ReservedLengthPrefix)
        );
    }

    #[test]
    fn a_non_minimal_header_is_rejected() {
        assert_eq!(header(&[0x40, 0x25]), Err(DecodeError::NonMinimalLength));
        assert_eq!(
            header(&[0x80, 0x00, 0x3f, 0xff]),
            Err(DecodeError::NonMinimalLength)
        );
    }

    #[test]
    fn a_truncated_header_is_rejected() {
        assert!(matches!(
            header(&[0x40]),
            Err(DecodeError::Truncated { .. })
        ));
        assert!(matches!(header(&[]), Err(DecodeError::Truncated { .. })));
    }

    #[test]
    fn a_vector_longer_than_its_input_is_rejected() {
        assert!(matches!(
            Vec::<u8>::from_bytes(&[0x05, 1, 2]),
            Err(DecodeError::Truncated {
                needed: 5,
                remaining: 2
            })
        ));
    }

    #[test]
    fn trailing_bytes_after_a_whole_message_are_rejected() {
        assert_eq!(
            u16::from_bytes(&[0, 1, 2]),
            Err(DecodeError::TrailingBytes(1))
        );
    }

    #[test]
    fn an_optional_presence_byte_must_be_zero_or_one() {
        assert_eq!(Option::<u8>::from_bytes(&[0]), Ok(None));
        assert_eq!(Option::<u8>::from_bytes(&[1, 7]), Ok(Some(7)));
        assert_eq!(
            Option::<u8>::from_bytes(&[2, 7]),
            Err(DecodeError::InvalidOptional(2))
        );
    }

    #[test]
    fn grease_values_are_recognised() {
        assert!(is_grease(0x0a0a) && is_grease(0xeaea));
        assert!(!is_grease(0x0001) && !is_grease(0x0a1a) && !is_grease(0xfafa + 1));
    }
}

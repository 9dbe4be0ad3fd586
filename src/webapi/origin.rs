//! The origin an `MLS` object belongs to: its storage key (spec §4.1, **constructor.2**).
//!
//! The crate's constructors take the origin as a string. It is parsed with the WHATWG URL
//! parser and must be nothing but an origin: a URL whose origin is a tuple origin
//! (scheme, host, port) and which has no path but `/`, no query, no fragment and no
//! username or password. The storage key is the ASCII serialization of that origin, so
//! `https://A.example:443/` and `https://a.example` are one storage key, never two
//! partitions of one site. Anything else is a `TypeError` (spec §7.1).

use url::Url;

use super::error::{WebApiError, WebApiResult};

/// A serialized tuple origin, such as `https://chat.example` or `http://localhost:8080`:
/// the storage key of spec §4.1 in this crate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// Parses `origin` (spec §7.1, **constructor.2**). Accepted: what the URL parser
    /// turns into exactly the URL of its own origin, written in any of the forms the
    /// parser normalizes (upper-case host, default port, trailing `/`, Unicode host).
    /// Rejected with a `TypeError`: text that does not parse as a URL, an opaque origin
    /// (`null`, `file:`, `data:`, `blob:`, non-special schemes), and a URL with a path
    /// other than `/`, a query, a fragment, a username or a password.
    pub fn parse(origin: &str) -> WebApiResult<Origin> {
        let url = Url::parse(origin)
            .map_err(|e| WebApiError::type_error(format!("the origin is not a URL: {e}")))?;
        let tuple = url.origin();
        if !tuple.is_tuple() {
            return Err(WebApiError::type_error("the origin is opaque"));
        }
        let serialized = tuple.ascii_serialization();
        // The URL of the origin itself: scheme, host, port, and the path `/`.
        let url_of_origin = Url::parse(&serialized)
            .map_err(|e| WebApiError::type_error(format!("the origin is not a URL: {e}")))?;
        if url != url_of_origin {
            return Err(WebApiError::type_error(
                "an origin has no username, password, path, query or fragment",
            ));
        }
        Ok(Origin(serialized))
    }

    /// The ASCII serialization of the origin (`https://chat.example`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Display for Origin {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webapi::DomExceptionName;

    fn parsed(origin: &str) -> String {
        Origin::parse(origin).unwrap().as_str().to_owned()
    }

    fn refused(origin: &str) -> bool {
        Origin::parse(origin).is_err_and(|e| e.name == DomExceptionName::TypeError)
    }

    #[test]
    fn the_forms_of_one_origin_serialize_alike() {
        for form in [
            "https://chat.example",
            "https://chat.example/",
            "https://CHAT.Example",
            "HTTPS://chat.example:443/",
            "https://chat.example:443",
            " https://chat.example\n",
        ] {
            assert_eq!(parsed(form), "https://chat.example", "{form}");
        }
    }

    #[test]
    fn the_port_and_the_scheme_are_part_of_the_origin() {
        assert_eq!(
            parsed("https://chat.example:8443"),
            "https://chat.example:8443"
        );
        assert_eq!(parsed("http://chat.example"), "http://chat.example");
        assert_eq!(parsed("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(parsed("http://[::1]"), "http://[::1]");
    }

    #[test]
    fn a_unicode_host_is_serialized_in_ascii() {
        assert_eq!(
            parsed("https://bücher.example"),
            "https://xn--bcher-kva.example"
        );
    }

    #[test]
    fn urls_that_are_more_than_an_origin_are_a_type_error() {
        for url in [
            "https://chat.example/app",
            "https://chat.example/?q",
            "https://chat.example?",
            "https://chat.example/#top",
            "https://chat.example#",
            "https://user@chat.example",
            "https://user:pass@chat.example",
            "https://chat.example//",
        ] {
            assert!(refused(url), "{url}");
        }
    }

    #[test]
    fn opaque_origins_and_non_urls_are_a_type_error() {
        for text in [
            "",
            "null",
            "chat.example",
            "//chat.example",
            "file:///home/user",
            "data:text/plain,hi",
            "blob:https://chat.example/0b7e0c3e",
            "mailto:someone@chat.example",
            "custom://chat.example",
            "https://",
            "https://chat example",
        ] {
            assert!(refused(text), "{text:?}");
        }
    }
}

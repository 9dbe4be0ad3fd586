//! The error names of spec §3.5.

/// The kinds of error the Web API raises (spec §3.5). `SecurityError` (constructor only)
/// is not modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorName {
    /// Conversion, MLSBytes type, emptiness (spec §3.3).
    TypeError,
    /// Bytes that do not decode as required.
    DataError,
    /// No identity, group state, member or key package.
    NotFoundError,
    /// A pending commit or pending proposals forbid the call; removing oneself; joining
    /// twice.
    InvalidStateError,
    /// A protocol or cryptographic check failed.
    OperationError,
    /// Valid MLS this implementation does not support.
    NotSupportedError,
}

impl ErrorName {
    /// The name as JavaScript shows it (`error.name`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorName::TypeError => "TypeError",
            ErrorName::DataError => "DataError",
            ErrorName::NotFoundError => "NotFoundError",
            ErrorName::InvalidStateError => "InvalidStateError",
            ErrorName::OperationError => "OperationError",
            ErrorName::NotSupportedError => "NotSupportedError",
        }
    }
}

/// The outcome of a call in the model.
pub type Result<T> = core::result::Result<T, ErrorName>;

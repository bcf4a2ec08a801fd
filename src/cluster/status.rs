//! API errors as data, shaped like the API server's `metav1.Status`, so that kubectl can render
//! them in one place exactly as the real one does.

use serde_json::{Value, json};
use thiserror::Error;

use super::ResourceInfo;

/// `metav1.StatusReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    AlreadyExists,
    Conflict,
    Gone,
    Invalid,
    MethodNotAllowed,
    NotAcceptable,
    UnsupportedMediaType,
    RequestEntityTooLarge,
    Timeout,
    TooManyRequests,
    InternalError,
    ServiceUnavailable,
}

impl Reason {
    /// The reason's wire name, as kubectl prints it in `Error from server (NotFound): ...`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BadRequest => "BadRequest",
            Reason::Unauthorized => "Unauthorized",
            Reason::Forbidden => "Forbidden",
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Gone => "Gone",
            Reason::Invalid => "Invalid",
            Reason::MethodNotAllowed => "MethodNotAllowed",
            Reason::NotAcceptable => "NotAcceptable",
            Reason::UnsupportedMediaType => "UnsupportedMediaType",
            Reason::RequestEntityTooLarge => "RequestEntityTooLarge",
            Reason::Timeout => "Timeout",
            Reason::TooManyRequests => "TooManyRequests",
            Reason::InternalError => "InternalError",
            Reason::ServiceUnavailable => "ServiceUnavailable",
        }
    }

    pub fn code(self) -> u16 {
        match self {
            Reason::BadRequest => 400,
            Reason::Unauthorized => 401,
            Reason::Forbidden => 403,
            Reason::NotFound => 404,
            Reason::MethodNotAllowed => 405,
            Reason::NotAcceptable => 406,
            Reason::AlreadyExists | Reason::Conflict => 409,
            Reason::Gone => 410,
            Reason::RequestEntityTooLarge => 413,
            Reason::UnsupportedMediaType => 415,
            Reason::Invalid => 422,
            Reason::TooManyRequests => 429,
            Reason::InternalError => 500,
            Reason::ServiceUnavailable => 503,
            Reason::Timeout => 504,
        }
    }
}

/// One field-level problem of an `Invalid` status (`metav1.StatusCause`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, ...
    pub kind: String,
    pub message: String,
    /// The field path, e.g. `spec.containers[0].image`.
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message}")]
pub struct Status {
    pub reason: Reason,
    pub code: u16,
    pub message: String,
    /// `details.name`, `details.group`, `details.kind` (the resource name for NotFound).
    pub name: String,
    pub group: String,
    pub kind: String,
    pub causes: Vec<Cause>,
}

impl Status {
    pub fn new(reason: Reason, message: impl Into<String>) -> Self {
        Status {
            reason,
            code: reason.code(),
            message: message.into(),
            name: String::new(),
            group: String::new(),
            kind: String::new(),
            causes: Vec::new(),
        }
    }

    fn about(mut self, res: &ResourceInfo, name: &str) -> Self {
        self.name = name.to_string();
        self.group = res.group.clone();
        self.kind = res.name.clone();
        self
    }

    /// `pods "x" not found` (the resource is named with its group: `deployments.apps "x" not found`).
    pub fn not_found(res: &ResourceInfo, name: &str) -> Self {
        Status::new(Reason::NotFound, format!("{} \"{name}\" not found", res.qualified_name())).about(res, name)
    }

    /// `pods "x" already exists`.
    pub fn already_exists(res: &ResourceInfo, name: &str) -> Self {
        Status::new(Reason::AlreadyExists, format!("{} \"{name}\" already exists", res.qualified_name())).about(res, name)
    }

    /// `Pod "x" is invalid: spec.containers[0].image: Required value` — the server's message, as
    /// apimachinery's `NewInvalid` words it (`Deployment.apps "x" is invalid: …`; several causes
    /// are listed as `[a, b]`). kubectl shows it only when several objects fail (rule R5) or a
    /// generator wraps it (R6); otherwise it rebuilds `The Pod "x" is invalid: …` from the
    /// details (R3).
    pub fn invalid(kind: &str, group: &str, name: &str, causes: Vec<Cause>) -> Self {
        let described: Vec<String> =
            causes.iter().map(|c| if c.field.is_empty() { c.message.clone() } else { format!("{}: {}", c.field, c.message) }).collect();
        let summary = match described.len() {
            0 => String::new(),
            1 => format!(": {}", described[0]),
            _ => format!(": [{}]", described.join(", ")),
        };
        let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
        let mut s = Status::new(Reason::Invalid, format!("{qualified} \"{name}\" is invalid{summary}"));
        s.name = name.to_string();
        s.group = group.to_string();
        s.kind = kind.to_string();
        s.causes = causes;
        s
    }

    /// `pods "x" is forbidden: <reason>` (`pods is forbidden: …` without a name), as
    /// apimachinery's `NewForbidden` words it for admission and authorization refusals.
    pub fn forbidden(res: &ResourceInfo, name: &str, reason: &str) -> Self {
        let (resource, _) = res.name.split_once('/').unwrap_or((&res.name, ""));
        let qualified = if res.group.is_empty() { resource.to_string() } else { format!("{resource}.{}", res.group) };
        let subject = if name.is_empty() { qualified } else { format!("{qualified} \"{name}\"") };
        let mut s = Status::new(Reason::Forbidden, format!("{subject} is forbidden: {reason}"));
        s.name = name.to_string();
        s.group = res.group.clone();
        s.kind = resource.to_string();
        s
    }

    /// The optimistic-concurrency failure of an update with a stale resourceVersion.
    pub fn conflict(res: &ResourceInfo, name: &str) -> Self {
        Status::new(
            Reason::Conflict,
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                res.qualified_name()
            ),
        )
        .about(res, name)
    }

    /// A verb the resource does not serve.
    pub fn method_not_allowed() -> Self {
        Status::new(Reason::MethodNotAllowed, "the server does not allow this method on the requested resource")
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Status::new(Reason::BadRequest, message)
    }

    /// `metav1.Status` as JSON, for `-o json` of errors and for API logs.
    pub fn to_json(&self) -> Value {
        let mut details = json!({});
        if !self.name.is_empty() {
            details["name"] = json!(self.name);
        }
        if !self.group.is_empty() {
            details["group"] = json!(self.group);
        }
        if !self.kind.is_empty() {
            details["kind"] = json!(self.kind);
        }
        if !self.causes.is_empty() {
            details["causes"] = self.causes.iter().map(|c| json!({"reason": c.kind, "message": c.message, "field": c.field})).collect();
        }
        json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason.as_str(),
            "details": details,
            "code": self.code,
        })
    }
}

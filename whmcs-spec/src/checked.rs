//! The checked model: what code is generated from. Built by [`crate::resolve`] from a spec that
//! passed every check, so every required key is a plain value and every name is resolved.

pub use crate::model::{Effect, EnumDef, EnumOrigin, ErrorDef, Field, RequireAny, Ty, TypeDef};

/// An action spec that passed every check.
#[derive(Clone, Debug)]
pub struct ActionSpec {
    /// The WHMCS action name, e.g. `GetInvoices`.
    pub name: String,
    /// The API index category, e.g. `billing`.
    pub category: String,
    /// The side-effect class.
    pub effect: Effect,
    /// One line in our own words.
    pub summary: String,
    /// The reference page URL.
    pub reference: String,
    /// The WHMCS version that added the action.
    pub since: Option<String>,
    /// Whether it takes `limitstart`/`limitnum`.
    pub paged: bool,
    /// Request parameters, in the order they are sent.
    pub request: Vec<Field>,
    /// Response fields.
    pub response: Vec<Field>,
    /// Nested shapes.
    pub types: Vec<TypeDef>,
    /// Enums, named and inline; those reachable from the response are open.
    pub enums: Vec<EnumDef>,
    /// Documented error messages.
    pub errors: Vec<ErrorDef>,
    /// Groups of parameters of which one must be given.
    pub require_any: Vec<RequireAny>,
    /// The example request in wire form, as JSON text.
    pub example_request: Option<String>,
    /// The example response, as JSON text.
    pub example_response: Option<String>,
    /// The type and enum names it uses from the shared `types/` files.
    pub shared_refs: std::collections::BTreeSet<String>,
}

/// A shared-types file (`specs/types/*.toml`) that passed every check.
#[derive(Clone, Debug, Default)]
pub struct TypesSpec {
    /// Its nested shapes.
    pub types: Vec<TypeDef>,
    /// Its enums, all open (they may be used by answers).
    pub enums: Vec<EnumDef>,
}

impl ActionSpec {
    /// The nested types and enums that `fields` can contain, directly or through other types.
    pub fn reachable(&self, fields: &[Field]) -> std::collections::BTreeSet<String> {
        crate::model::reachable(&self.types, fields)
    }

    /// The message of error variant `variant` (empty when there is none).
    pub fn error_message(&self, variant: &str) -> &str {
        self.errors
            .iter()
            .find(|e| e.variant.value == variant)
            .map_or("", |e| e.message.value.as_str())
    }
}

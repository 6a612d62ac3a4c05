//! The library half of the `whmcs` command: the reference-page importer, usable from tests and
//! tools. The command itself is `src/main.rs` and the modules it declares, one per stage.

#![deny(missing_docs)]

pub mod import;

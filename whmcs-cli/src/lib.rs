//! The library half of the `whmcs` command: the reference-page importer, usable from tests and
//! tools. The command itself is `src/main.rs`.

#![deny(missing_docs)]

pub mod import;

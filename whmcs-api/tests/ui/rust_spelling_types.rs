#[whmcs_api::action(spec = "tests/ui/specs/rust_spelling_types.toml")]
pub struct GetWidgets;
fn main() {}

#[whmcs_api::action(spec = "tests/ui/specs/bad_rust_name.toml")]
pub struct GetWidgets;
fn main() {}

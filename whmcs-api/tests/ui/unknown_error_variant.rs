#[whmcs_api::action(spec = "tests/ui/specs/unknown_error_variant.toml")]
pub struct GetWidgets;
fn main() {}

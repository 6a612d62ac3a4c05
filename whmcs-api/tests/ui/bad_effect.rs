#[whmcs_api::action(spec = "tests/ui/specs/bad_effect.toml")]
pub struct GetWidgets;
fn main() {}

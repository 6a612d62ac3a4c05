#[whmcs_api::action(spec = "tests/ui/specs/unknown_wrapper.toml")]
pub struct GetWidgets;
fn main() {}

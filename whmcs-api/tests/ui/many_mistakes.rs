#[whmcs_api::action(spec = "tests/ui/specs/many_mistakes.toml")]
pub struct GetWidgets;
fn main() {}

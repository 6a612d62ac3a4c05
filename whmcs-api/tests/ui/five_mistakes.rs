#[whmcs_api::action(spec = "tests/ui/specs/five_mistakes.toml")]
pub struct GetWidgets;
fn main() {}

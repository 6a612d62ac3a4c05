#[whmcs_api::action(spec = "tests/ui/specs/keyword_param.toml")]
pub struct GetWidgets;
fn main() {}

#![deny(deprecated)]

#[whmcs_api::action(spec = "tests/ui/specs/deprecated_param_use.toml")]
pub struct AddWidget;

fn main() {
    let _ = AddWidget::new(1).cardnum("4111111111111111");
}

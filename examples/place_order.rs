//! Places an order for two products with custom field values and configurable options (sent as
//! base64 of a PHP-serialized array, as WHMCS expects), then accepts it. Runs against the embedded
//! mock unless WHMCS_URL points at a real installation (where CLIENT_ID must name a client).

use whmcs_api::actions::AddClientRequired;
use whmcs_api::{Client, PhpArray, PhpValue};
use whmcs_mock::MockServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, client_id, _mock) = match std::env::var("WHMCS_URL") {
        Ok(_) => {
            let id = std::env::var("CLIENT_ID")?.parse()?;
            (Client::from_env()?, id, None)
        }
        Err(_) => {
            let mock = MockServer::start().await?;
            let client = mock.client()?;
            let added = client
                .add_client(AddClientRequired {
                    firstname: "Katherine",
                    lastname: "Johnson",
                    email: "kj@example.com",
                    address1: "1 Langley Rd",
                    city: "Hampton",
                    state: "VA",
                    postcode: "23681",
                    country: "US",
                    phonenumber: "+1.7578640000",
                })
                .await?;
            (client, added.clientid, Some(mock))
        }
    };

    // Custom field 1 ("Company size") and configurable options: option 4 is a dropdown (choice
    // 12), option 7 a quantity (3 extra IPs).
    let custom_fields = PhpArray::new().with(1, "50-100");
    let config_options = PhpArray::new().with(4, 12).with(
        7,
        PhpValue::Array(PhpArray::new().with("optionid", 31).with("qty", 3)),
    );
    println!("configoptions sent as: {}", config_options.to_base64());

    let order = client
        .add_order(client_id, "mailin")
        .pid([1, 2])
        .domain(["shop.example.com", "blog.example.com"])
        .billingcycle(["monthly", "annually"])
        .customfields([custom_fields.clone(), custom_fields])
        .configoptions([config_options.clone(), config_options])
        .promocode("WELCOME10")
        .await?;
    let order_id = order.orderid;
    println!(
        "order #{order_id}: services {:?}, invoice #{}",
        order.serviceids,
        order.invoiceid.unwrap_or(0)
    );

    client.accept_order(order_id).await?;
    let products = client.get_clients_products().clientid(client_id).await?;
    for p in &products.products {
        println!(
            "  service #{:<4} {:<20} {:<10} {}",
            p.id.unwrap_or(0),
            p.domain.as_deref().unwrap_or(""),
            p.billingcycle.as_ref().map_or("", |b| b.as_str()),
            p.status.as_ref().map_or("", |s| s.as_str()),
        );
    }
    Ok(())
}

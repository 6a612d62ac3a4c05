//! The whole flow in one go: look up a client, place an order, cancel the service it created,
//! and see the typed error when cancelling twice. Runs against the embedded mock WHMCS unless
//! WHMCS_URL (with WHMCS_API_IDENTIFIER / WHMCS_API_SECRET) points at a real installation.

use whmcs_api::actions::{AddCancelRequestError, CancellationType};
use whmcs_api::mock::MockServer;
use whmcs_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _mock) = match std::env::var("WHMCS_URL") {
        Ok(url) => {
            println!("Using WHMCS at {url}");
            (Client::from_env()?, None)
        }
        Err(_) => {
            let mock = MockServer::start().await?;
            println!(
                "WHMCS_URL is not set: using the embedded mock WHMCS at {}",
                mock.url()
            );
            (mock.client()?, Some(mock))
        }
    };

    let client_id = 1;
    let details = client
        .get_clients_details()
        .clientid(client_id)
        .stats(true)
        .await?;
    if let Some(c) = &details.client {
        println!(
            "1. Client #{client_id}: {} <{}>",
            c.fullname.as_deref().unwrap_or("?"),
            c.email.as_deref().unwrap_or("?")
        );
    }

    let order = client
        .add_order(client_id, "mailin")
        .pid([1])
        .billingcycle(["monthly"])
        .noemail(true)
        .await?;
    let service_id: i64 = order
        .serviceids
        .as_deref()
        .and_then(|ids| ids.split(',').next())
        .and_then(|id| id.trim().parse().ok())
        .ok_or("the order created no service")?;
    println!(
        "2. Order #{} placed: service #{service_id}, invoice #{}",
        order.orderid.unwrap_or(0),
        order.invoiceid.unwrap_or(0)
    );

    let cancelled = client
        .add_cancel_request(service_id)
        .cancel_type(CancellationType::EndOfBillingPeriod)
        .reason("Moving to a bigger plan")
        .await?;
    println!(
        "3. Cancellation requested for service #{} (client #{})",
        cancelled.serviceid.unwrap_or(0),
        cancelled.userid.unwrap_or(0)
    );

    match client
        .add_cancel_request(service_id)
        .cancel_type(CancellationType::Immediate)
        .await
    {
        Err(Error::Api(AddCancelRequestError::ExistingCancellationRequestExists)) => {
            println!(
                "4. Cancelling again is refused with a typed error: ExistingCancellationRequestExists"
            );
        }
        Ok(_) => println!("4. Unexpected: the second cancellation was accepted"),
        Err(e) => return Err(e.into()),
    }

    let unpaid = client.get_invoices().userid(client_id).limitnum(10).await?;
    println!(
        "5. Client #{client_id} has {} invoice(s):",
        unpaid.totalresults.unwrap_or(0)
    );
    for inv in &unpaid.invoices {
        println!(
            "   #{:<4} {:<10} total {}",
            inv.id.unwrap_or(0),
            inv.status.as_ref().map_or("?", |s| s.as_str()),
            inv.total.map_or("?".into(), |t| t.to_string())
        );
    }
    Ok(())
}

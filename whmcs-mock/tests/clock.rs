//! WHMCS's daily automation in the mock, driven by `advance_days`, one test per rule: invoices
//! raised within the invoice window, due dates moved when paid, unpaid invoices overdue, overdue
//! services suspended (and unsuspended on payment, or terminated when that is on), cancellation
//! requests carried out, domains lapsing through their grace and redemption periods, renewal
//! invoices, and automation failures queued.

use whmcs_api::actions::client::get_clients_products::ClientService;
use whmcs_api::actions::orders::add_order::DomainOrderType;
use whmcs_api::actions::{CancellationType, DomainStatus, InvoiceStatus, ServiceStatus};
use whmcs_api::{Client, Date, Decimal};
use whmcs_mock::MockServer;

mod common;
use common::start;

async fn new_client(client: &Client, email: &str) -> i64 {
    client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Alan",
            lastname: "Turing",
            email,
            address1: "Bletchley Park",
            city: "Milton Keynes",
            state: "BKM",
            postcode: "MK3 6EB",
            country: "GB",
            phonenumber: "+44.2",
        })
        .await
        .expect("AddClient")
        .clientid
}

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn money(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

async fn service(client: &Client, sid: i64) -> ClientService {
    client
        .get_clients_products()
        .serviceid(sid)
        .await
        .expect("GetClientsProducts")
        .products
        .into_iter()
        .next()
        .expect("the service")
}

/// A client with an accepted monthly order for product 1 (10.00); returns (client, service,
/// the order's invoice).
async fn active_service(client: &Client, email: &str) -> (i64, i64, i64) {
    let id = new_client(client, email).await;
    let o = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("AddOrder");
    client.accept_order(o.orderid).await.expect("AcceptOrder");
    (id, o.serviceids[0], o.invoiceid.expect("invoice"))
}

async fn pay(client: &Client, mock: &MockServer, invoiceid: i64) {
    client
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid,
            transid: "TX",
            gateway: "mailin",
            date: whmcs_api::DateTime::new(mock.today(), 10, 0, 0).expect("time"),
        })
        .await
        .expect("AddInvoicePayment");
}

async fn invoices_of(client: &Client, id: i64) -> Vec<whmcs_api::actions::Invoice> {
    client
        .get_invoices()
        .userid(id)
        .await
        .expect("GetInvoices")
        .invoices
}

#[tokio::test]
async fn paying_an_invoice_moves_the_due_date_on_a_term() {
    let (mock, client) = start().await;
    let (_, sid, invoice) = active_service(&client, "paid@example.com").await;
    assert_eq!(
        service(&client, sid).await.nextduedate,
        Some(date("2026-01-01"))
    );
    pay(&client, &mock, invoice).await;
    mock.advance_days(1);
    assert_eq!(
        service(&client, sid).await.nextduedate,
        Some(date("2026-02-01"))
    );
    mock.advance_days(3);
    assert_eq!(
        service(&client, sid).await.nextduedate,
        Some(date("2026-02-01")),
        "a payment counts once"
    );
}

#[tokio::test]
async fn invoices_are_raised_within_the_invoice_window() {
    let (mock, client) = start().await;
    let (id, sid, invoice) = active_service(&client, "renewals@example.com").await;
    pay(&client, &mock, invoice).await;
    // 2026-01-17: the window reaches 2026-01-31, not yet the 1 February due date.
    mock.advance_days(16);
    assert_eq!(invoices_of(&client, id).await.len(), 1);
    mock.advance_days(1);
    let invoices = invoices_of(&client, id).await;
    assert_eq!(invoices.len(), 2, "raised 14 days before the due date");
    let renewal = &invoices[1];
    assert_eq!(renewal.duedate, Some(date("2026-02-01")));
    assert_eq!(renewal.total, Some(money("10.00")));
    assert_eq!(renewal.status, Some(InvoiceStatus::Unpaid));
    let lines = client
        .get_invoice(renewal.id.expect("id"))
        .await
        .expect("invoice")
        .items;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].item_type.as_deref(), Some("Hosting"));
    assert_eq!(lines[0].relid, Some(sid));
    mock.advance_days(5);
    assert_eq!(
        invoices_of(&client, id).await.len(),
        2,
        "one invoice per term"
    );
}

#[tokio::test]
async fn unpaid_invoices_past_their_due_date_are_overdue() {
    let (mock, client) = start().await;
    let (id, _, invoice) = active_service(&client, "late@example.com").await;
    let overdue = |client: Client| async move {
        client
            .get_invoices()
            .userid(id)
            .status(InvoiceStatus::Overdue)
            .await
            .expect("GetInvoices")
            .invoices
            .into_iter()
            .filter_map(|i| i.id)
            .collect::<Vec<_>>()
    };
    assert!(overdue(client.clone()).await.is_empty(), "due today");
    mock.advance_days(1);
    assert_eq!(overdue(client.clone()).await, vec![invoice]);
    pay(&client, &mock, invoice).await;
    assert!(overdue(client.clone()).await.is_empty(), "paid");
}

#[tokio::test]
async fn overdue_services_are_suspended_and_unsuspended_when_paid() {
    let (mock, client) = start().await;
    let (_, sid, invoice) = active_service(&client, "suspend@example.com").await;
    mock.advance_days(4);
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Active)
    );
    mock.advance_days(1);
    let s = service(&client, sid).await;
    assert_eq!(s.status, Some(ServiceStatus::Suspended), "5 days past due");
    assert_eq!(s.suspensionreason.as_deref(), Some("Overdue on Payment"));
    pay(&client, &mock, invoice).await;
    mock.advance_days(1);
    let s = service(&client, sid).await;
    assert_eq!(s.status, Some(ServiceStatus::Active));
    assert_eq!(s.nextduedate, Some(date("2026-02-01")));
}

#[tokio::test]
async fn a_service_exempt_from_suspension_stays_active() {
    let (mock, client) = start().await;
    let (_, sid, _) = active_service(&client, "exempt@example.com").await;
    client
        .update_client_product(sid)
        .overideautosuspend(
            whmcs_api::actions::service::update_client_product::UpdateClientProductOverideautosuspend::On,
        )
        .await
        .expect("exempt");
    mock.advance_days(10);
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Active)
    );
}

#[tokio::test]
async fn termination_follows_the_seeded_settings() {
    let (mock, client) = start().await;
    let (_, sid, _) = active_service(&client, "terminate@example.com").await;
    let mut state = mock.snapshot();
    state["automation"]["terminate"] = true.into();
    state["automation"]["terminate_days"] = 8.into();
    mock.seed(state).expect("seed");
    mock.advance_days(7);
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Suspended)
    );
    mock.advance_days(1);
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Terminated)
    );
}

#[tokio::test]
async fn cancellation_requests_are_carried_out_when_due() {
    let (mock, client) = start().await;
    let (_, now_sid, _) = active_service(&client, "now@example.com").await;
    let (_, later_sid, invoice) = active_service(&client, "later@example.com").await;
    pay(&client, &mock, invoice).await;
    client
        .add_cancel_request(now_sid)
        .cancel_type(CancellationType::Immediate)
        .await
        .expect("immediate");
    client
        .add_cancel_request(later_sid)
        .cancel_type(CancellationType::EndOfBillingPeriod)
        .await
        .expect("end of period");
    assert_eq!(
        service(&client, now_sid).await.status,
        Some(ServiceStatus::Active),
        "the cron carries requests out"
    );
    mock.advance_days(1);
    assert_eq!(
        service(&client, now_sid).await.status,
        Some(ServiceStatus::Cancelled)
    );
    assert_eq!(
        service(&client, later_sid).await.status,
        Some(ServiceStatus::Active)
    );
    // Paid to 1 February: cancelled on that day.
    mock.advance_days(29);
    assert_eq!(
        service(&client, later_sid).await.status,
        Some(ServiceStatus::Active)
    );
    mock.advance_days(1);
    assert_eq!(
        service(&client, later_sid).await.status,
        Some(ServiceStatus::Cancelled)
    );
}

#[tokio::test]
async fn expired_domains_pass_through_grace_and_redemption() {
    let (mock, client) = start().await;
    client
        .create_or_update_tld(".com")
        .currency_code("USD")
        .grace_period_days(10)
        .grace_period_fee(money("0"))
        .redemption_period_days(5)
        .redemption_period_fee(money("80"))
        .await
        .expect("TLD periods");
    let id = new_client(&client, "lapse@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["lapsing.com"])
        .domaintype([DomainOrderType::Register])
        .await
        .expect("order");
    let d = o.domainids[0];
    client
        .domain_register()
        .domainid(d)
        .await
        .expect("register");
    client
        .update_client_domain(d)
        .expirydate(date("2026-01-03"))
        .await
        .expect("expiry soon");
    let status = |client: Client| async move {
        client
            .get_clients_domains()
            .domainid(d)
            .await
            .expect("domain")
            .domains
            .into_iter()
            .next()
            .and_then(|d| d.status)
    };
    mock.advance_days(2);
    assert_eq!(status(client.clone()).await, Some(DomainStatus::Active));
    mock.advance_days(1);
    assert_eq!(status(client.clone()).await, Some(DomainStatus::Grace));
    mock.advance_days(10);
    assert_eq!(status(client.clone()).await, Some(DomainStatus::Redemption));
    mock.advance_days(5);
    assert_eq!(status(client.clone()).await, Some(DomainStatus::Expired));
    client
        .domain_renew()
        .domainid(d)
        .await
        .expect("renewed from Expired");
    assert_eq!(status(client.clone()).await, Some(DomainStatus::Active));
}

#[tokio::test]
async fn domains_are_invoiced_for_renewal_unless_told_not_to() {
    let (mock, client) = start().await;
    let id = new_client(&client, "renewdomain@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["kept.org", "dropped.org"])
        .domaintype([DomainOrderType::Register, DomainOrderType::Register])
        .await
        .expect("order");
    for d in &o.domainids {
        client
            .domain_register()
            .domainid(*d)
            .await
            .expect("register");
        client
            .update_client_domain(*d)
            .nextduedate(date("2026-01-20"))
            .await
            .expect("due soon");
    }
    client
        .update_client_domain(o.domainids[1])
        .donotrenew(true)
        .await
        .expect("do not renew");
    mock.advance_days(6);
    let invoices = invoices_of(&client, id).await;
    assert_eq!(invoices.len(), 2, "the order's and one renewal");
    let renewal = client
        .get_invoice(invoices[1].id.expect("id"))
        .await
        .expect("invoice");
    assert_eq!(renewal.duedate, Some(date("2026-01-20")));
    assert_eq!(renewal.items.len(), 1);
    assert_eq!(renewal.items[0].item_type.as_deref(), Some("Domain"));
    assert_eq!(renewal.items[0].relid, Some(o.domainids[0]));
    assert_eq!(renewal.total, Some(money("13.95")));
}

#[tokio::test]
async fn a_suspension_the_module_cannot_run_is_queued() {
    let (mock, client) = start().await;
    let pid = client
        .add_product(1, "Plesk Box")
        .module("plesk")
        .paytype(whmcs_api::actions::products::add_product::PayType::Recurring)
        .pricing([(
            "1",
            [("monthly".to_string(), money("20.00"))]
                .into_iter()
                .collect(),
        )])
        .await
        .expect("product")
        .pid;
    let id = new_client(&client, "noserver@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([pid])
        .await
        .expect("order");
    client.accept_order(o.orderid).await.expect("accept");
    let sid = o.serviceids[0];
    mock.advance_days(5);
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Active),
        "no plesk server to suspend it on"
    );
    let queue = client
        .get_module_queue()
        .service_type(whmcs_api::actions::QueueServiceType::Service)
        .await
        .expect("queue");
    assert_eq!(queue.count, Some(1));
    assert_eq!(queue.queue[0].service_id, Some(sid));
    assert_eq!(
        queue.queue[0].module_action.as_deref(),
        Some("SuspendAccount")
    );
    mock.advance_days(1);
    let queue = client.get_module_queue().await.expect("queue");
    assert_eq!(queue.count, Some(1), "a retry is counted, not queued again");
    assert_eq!(queue.queue[0].num_retries, Some(1));
}

#[tokio::test]
async fn extreme_values_neither_panic_nor_stall_the_cron() {
    let (mock, client) = start().await;
    let id = new_client(&client, "extreme@example.com").await;
    let huge = Decimal::MAX;
    let o = client
        .add_order(id, "mailin")
        .pid([1, 1])
        .qty([i64::MAX, 3])
        .priceoverride([huge, huge])
        .domain(["big.com", "bigger.net"])
        .domaintype([DomainOrderType::Register, DomainOrderType::Transfer])
        .regperiod([i64::MAX, -5])
        .domainpriceoverride([huge, Decimal::MIN])
        .await
        .expect("an order with extreme values");
    let invoice = client
        .get_invoice(o.invoiceid.expect("invoice"))
        .await
        .expect("its invoice still adds up");
    assert!(invoice.total.is_some());
    let sid = o.serviceids[0];
    let d = o.domainids[0];
    client
        .update_client_product(sid)
        .nextduedate(date("0001-01-01"))
        .recurringamount(huge)
        .await
        .expect("update");
    client
        .update_client_domain(d)
        .regperiod(i64::MAX)
        .expirydate(date("9999-12-31"))
        .nextduedate(date("0001-01-01"))
        .await
        .expect("update");
    client.accept_order(o.orderid).await.expect("accept");
    let _ = client.domain_register().domainid(d).await;
    let _ = client.domain_renew().domainid(d).regperiod(i64::MAX).await;
    let _ = client
        .upgrade_product(sid, "mailin", whmcs_api::actions::UpgradeType::Product)
        .newproductid(1)
        .calconly(true)
        .await
        .expect("an upgrade quote");
    let mut state = mock.snapshot();
    state["automation"]["invoice_days"] = i64::MAX.into();
    state["automation"]["suspend_days"] = i64::MIN.into();
    state["catalogue"]["servers"]["rows"]["1"]["maxaccounts"] = i64::MAX.into();
    mock.seed(state).expect("seed");
    mock.advance_days(3);
    client
        .get_invoices()
        .userid(id)
        .await
        .expect("the invoices still list");
    client.get_health_status().await.expect("health");
    client.get_clients_domains().await.expect("domains");
}

//! The mock's catalogue, orders, services and addons over HTTP, one test per WHMCS rule: order
//! states, what AddOrder creates, promotions, the module commands on a service, updates that
//! persist, upgrades, cancellation requests, modules, servers and the module queue.

use serde_json::json;
use whmcs_api::actions::client::get_clients_products::ClientService;
use whmcs_api::actions::orders::add_order::DomainOrderType;
use whmcs_api::actions::orders::get_orders::Order;
use whmcs_api::actions::{
    AcceptOrderError, AddCancelRequestError, AddOrderError, AddProductError, BillingCycle,
    CancelOrderError, CancellationType, ConfigOptionType, DeleteOrderError, FraudOrderError,
    GetInvoiceError, InvoiceStatus, ModuleCreateError, ModuleSuspendError, ModuleTerminateError,
    ModuleUnsuspendError, OrderFraudCheckError, OrderStatus, PendingOrderError, ServiceStatus,
    UpdateClientAddonError, UpdateClientProductError, UpgradeProductError, UpgradeType,
};
use whmcs_api::{Client, Decimal, PhpArray, PhpValue};
use whmcs_mock::MockServer;

mod common;
use common::{api_error, mail_subjects, raw, start};

async fn new_client(client: &Client, email: &str) -> i64 {
    client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Grace",
            lastname: "Hopper",
            email,
            address1: "1 Navy Way",
            city: "Arlington",
            state: "VA",
            postcode: "22201",
            country: "US",
            phonenumber: "+1.5555550100",
        })
        .await
        .expect("AddClient")
        .clientid
}

fn noon(mock: &MockServer) -> whmcs_api::DateTime {
    whmcs_api::DateTime::new(mock.today(), 12, 0, 0).expect("a time")
}

/// Pays an invoice in full, today.
async fn pay(client: &Client, mock: &MockServer, invoiceid: i64, transid: &str) {
    client
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid,
            transid,
            gateway: "mailin",
            date: noon(mock),
        })
        .await
        .expect("AddInvoicePayment");
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

async fn order(client: &Client, id: i64) -> Option<Order> {
    client
        .get_orders()
        .id(id)
        .await
        .expect("GetOrders")
        .orders
        .into_iter()
        .next()
}

/// A client with one pending order for product 1; returns (client id, order id, service id).
async fn with_order(client: &Client, email: &str) -> (i64, i64, i64) {
    let id = new_client(client, email).await;
    let o = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("AddOrder");
    (id, o.orderid, o.serviceids[0])
}

#[tokio::test]
async fn add_order_creates_services_addons_domains_and_an_invoice() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "buyer@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([1])
        .billingcycle(["annually"])
        .domain(["buyer.com"])
        .domaintype([DomainOrderType::Register])
        .addons(["1"])
        .await
        .expect("AddOrder");
    assert_eq!(o.serviceids.len(), 1);
    assert_eq!(o.addonids.len(), 1);
    assert_eq!(o.domainids.len(), 1);

    let s = service(&client, o.serviceids[0]).await;
    assert_eq!(s.status, Some(ServiceStatus::Pending));
    assert_eq!(s.billingcycle, Some(BillingCycle::Annually));
    assert_eq!(s.recurringamount, Some(money("120.00")));
    assert_eq!(s.domain.as_deref(), Some("buyer.com"));
    assert_eq!(s.orderid, Some(o.orderid));

    let addons = client
        .get_clients_addons()
        .clientid(id)
        .await
        .expect("addons");
    assert_eq!(addons.addons.len(), 1);
    assert_eq!(addons.addons[0].serviceid, Some(o.serviceids[0]));
    assert_eq!(addons.addons[0].status, Some(ServiceStatus::Pending));

    let domains = client
        .get_clients_domains()
        .clientid(id)
        .await
        .expect("domains");
    assert_eq!(domains.domains.len(), 1);
    assert_eq!(domains.domains[0].domainname.as_deref(), Some("buyer.com"));
    assert_eq!(domains.domains[0].id, Some(o.domainids[0]));

    let invoice = client
        .get_invoice(o.invoiceid.expect("invoice"))
        .await
        .expect("GetInvoice");
    // 120.00 hosting + 2.00 backups + 12.95 for buyer.com.
    assert_eq!(invoice.total, Some(money("134.95")));
    assert_eq!(invoice.items.len(), 3);
    assert_eq!(invoice.userid, Some(id));
    let o = order(&client, o.orderid).await.expect("order");
    assert_eq!(o.amount, Some(money("134.95")));
    assert_eq!(o.lineitems.len(), 3);
}

#[tokio::test]
async fn a_domain_only_order_works() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "domains@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["only-a-domain.net"])
        .domaintype([DomainOrderType::Register])
        .regperiod([2])
        .await
        .expect("domain-only AddOrder");
    assert!(o.serviceids.is_empty());
    assert_eq!(o.domainids.len(), 1);
    let invoice = client
        .get_invoice(o.invoiceid.expect("invoice"))
        .await
        .expect("GetInvoice");
    assert_eq!(invoice.total, Some(money("29.90")), "two years of .net");
    let d = client
        .get_clients_domains()
        .domainid(o.domainids[0])
        .await
        .expect("domain");
    assert_eq!(d.domains[0].regperiod, Some(2));
    assert_eq!(
        d.domains[0].status,
        Some(whmcs_api::actions::DomainStatus::Pending)
    );
}

#[tokio::test]
async fn orders_without_valid_items_are_refused_with_the_documented_errors() {
    let (mock, client) = start().await;
    let id = new_client(&client, "refused@example.com").await;
    let e = api_error(client.add_order(id, "mailin").pid([999]).await);
    assert_eq!(e, AddOrderError::NoItemsAdded);
    let e = client.add_order(id, "bitcoin").pid([1]).await;
    assert_eq!(
        e.expect_err("gateway").message(),
        Some("Invalid Payment Method. Valid options include banktransfer,mailin,offlinecc,paypal")
    );
    let e = api_error(client.add_order(id, "mailin").pid([1]).addons(["42"]).await);
    assert_eq!(e, AddOrderError::AddonIdInvalid);
    let e = api_error(client.add_order(987, "mailin").pid([1]).await);
    assert_eq!(e, AddOrderError::ClientIdNotFound);
    let other = new_client(&client, "other@example.com").await;
    let theirs = client
        .add_order(other, "mailin")
        .pid([1])
        .await
        .expect("order");
    let e = api_error(
        client
            .add_order(id, "mailin")
            .addonid(1)
            .serviceid(theirs.serviceids[0])
            .await,
    );
    assert_eq!(e, AddOrderError::ServiceNotOwnedByClient);
    let e = api_error(
        client
            .add_order(id, "mailin")
            .servicerenewals([theirs.serviceids[0]])
            .await,
    );
    assert_eq!(e, AddOrderError::ServiceNotOwnedByClient);
    // Nothing was written by the refused orders.
    let orders = client.get_orders().userid(id).await.expect("orders");
    assert_eq!(orders.totalresults, Some(0));
    let state = mock.snapshot();
    let rows = |table: &str| state["orders"][table]["rows"].as_object().map(|r| r.len());
    assert_eq!(rows("orders"), Some(1), "only the other client's order");
    assert_eq!(rows("services"), Some(1));
    assert_eq!(rows("addons"), Some(0));
}

#[tokio::test]
async fn accepting_moves_a_pending_order_and_its_items_to_active() {
    let (_mock, client) = start().await;
    let (_, orderid, sid) = with_order(&client, "accept@example.com").await;
    assert_eq!(
        order(&client, orderid).await.and_then(|o| o.status),
        Some(OrderStatus::Pending)
    );
    client.accept_order(orderid).await.expect("AcceptOrder");
    assert_eq!(
        order(&client, orderid).await.and_then(|o| o.status),
        Some(OrderStatus::Active)
    );
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Active)
    );
    let again = api_error(client.accept_order(orderid).await);
    assert_eq!(again, AcceptOrderError::OrderNotFoundOrNotPending);
    let unknown = api_error(client.accept_order(4242).await);
    assert_eq!(unknown, AcceptOrderError::OrderNotFoundOrNotPending);
}

#[tokio::test]
async fn an_order_can_be_cancelled_only_while_pending() {
    let (_mock, client) = start().await;
    let (_, orderid, sid) = with_order(&client, "cancel@example.com").await;
    let invoiceid = order(&client, orderid)
        .await
        .and_then(|o| o.invoiceid)
        .expect("invoice");
    client.cancel_order(orderid).await.expect("CancelOrder");
    assert_eq!(
        order(&client, orderid).await.and_then(|o| o.status),
        Some(OrderStatus::Cancelled)
    );
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Cancelled)
    );
    assert_eq!(
        client.get_invoice(invoiceid).await.expect("invoice").status,
        Some(InvoiceStatus::Cancelled)
    );

    let (_, accepted, _) = with_order(&client, "cancel2@example.com").await;
    client.accept_order(accepted).await.expect("accept");
    let e = api_error(client.cancel_order(accepted).await);
    assert_eq!(e, CancelOrderError::OrderNotFoundOrNotPending);
    assert_eq!(
        order(&client, accepted).await.and_then(|o| o.status),
        Some(OrderStatus::Active)
    );
}

#[tokio::test]
async fn fraud_marks_the_order_and_its_items() {
    let (_mock, client) = start().await;
    let (_, orderid, sid) = with_order(&client, "fraud@example.com").await;
    client.accept_order(orderid).await.expect("accept");
    client.fraud_order(orderid).await.expect("FraudOrder");
    assert_eq!(
        order(&client, orderid).await.and_then(|o| o.status),
        Some(OrderStatus::Fraud)
    );
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Fraud)
    );
    let e = api_error(client.fraud_order(777).await);
    assert_eq!(e, FraudOrderError::OrderNotFound);
}

#[tokio::test]
async fn pending_order_reverts_an_order_and_its_items() {
    let (_mock, client) = start().await;
    let (_, orderid, sid) = with_order(&client, "pending@example.com").await;
    client.accept_order(orderid).await.expect("accept");
    client.pending_order(orderid).await.expect("PendingOrder");
    assert_eq!(
        order(&client, orderid).await.and_then(|o| o.status),
        Some(OrderStatus::Pending)
    );
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Pending)
    );
    let e = api_error(client.pending_order(555).await);
    assert_eq!(e, PendingOrderError::OrderNotFound);
}

#[tokio::test]
async fn only_cancelled_or_fraud_orders_are_deleted_with_what_they_created() {
    let (_mock, client) = start().await;
    let (id, orderid, sid) = with_order(&client, "delete@example.com").await;
    let invoiceid = order(&client, orderid)
        .await
        .and_then(|o| o.invoiceid)
        .expect("invoice");
    let e = api_error(client.delete_order(orderid).await);
    assert_eq!(e, DeleteOrderError::OrderNotCancelledOrFraud);

    client.cancel_order(orderid).await.expect("cancel");
    client.delete_order(orderid).await.expect("DeleteOrder");
    assert!(order(&client, orderid).await.is_none());
    let left = client
        .get_clients_products()
        .clientid(id)
        .await
        .expect("products");
    assert_eq!(left.totalresults, Some(0), "service {sid} went with it");
    let e = api_error(client.get_invoice(invoiceid).await);
    assert_eq!(e, GetInvoiceError::InvoiceIdNotFound);
    let e = api_error(client.delete_order(orderid).await);
    assert_eq!(e, DeleteOrderError::OrderNotFound);

    let (_, fraud, _) = with_order(&client, "delete2@example.com").await;
    client.fraud_order(fraud).await.expect("fraud");
    client
        .delete_order(fraud)
        .await
        .expect("a fraud order is deleted");
    // Ids are never reused.
    let (_, next, _) = with_order(&client, "delete3@example.com").await;
    assert_eq!(next, fraud + 1);
}

#[tokio::test]
async fn get_orders_filters_and_pages_newest_first() {
    let (_mock, client) = start().await;
    let a = new_client(&client, "a@example.com").await;
    let b = new_client(&client, "b@example.com").await;
    let mut ids = Vec::new();
    for n in 0..5 {
        let who = if n % 2 == 0 { a } else { b };
        let o = client
            .add_order(who, "mailin")
            .pid([1])
            .await
            .expect("order");
        ids.push(o.orderid);
    }
    client.accept_order(ids[0]).await.expect("accept");
    client.cancel_order(ids[1]).await.expect("cancel");

    let all = client.get_orders().await.expect("all");
    assert_eq!(all.totalresults, Some(5));
    let listed: Vec<i64> = all.orders.iter().filter_map(|o| o.id).collect();
    let mut newest_first = ids.clone();
    newest_first.reverse();
    assert_eq!(listed, newest_first);

    let of_a = client.get_orders().userid(a).await.expect("a");
    assert_eq!(of_a.totalresults, Some(3));
    assert!(of_a.orders.iter().all(|o| o.userid == Some(a)));
    let active = client
        .get_orders()
        .status(OrderStatus::Active)
        .await
        .expect("active");
    assert_eq!(
        active
            .orders
            .iter()
            .filter_map(|o| o.id)
            .collect::<Vec<_>>(),
        vec![ids[0]]
    );
    let one = client.get_orders().id(ids[3]).await.expect("one");
    assert_eq!(one.totalresults, Some(1));
    let requestor = one.orders[0].requestor_id.expect("requestor");
    let by_user = client
        .get_orders()
        .requestor_id(requestor)
        .await
        .expect("by requestor");
    assert_eq!(by_user.totalresults, Some(2), "b placed two orders");

    let page = client
        .get_orders()
        .limitstart(1)
        .limitnum(2)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(5));
    assert_eq!(page.startnumber, Some(1));
    assert_eq!(page.numreturned, Some(2));
    assert_eq!(
        page.orders.iter().filter_map(|o| o.id).collect::<Vec<_>>(),
        newest_first[1..3].to_vec()
    );
}

#[tokio::test]
async fn order_statuses_are_counted_from_the_state() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "count@example.com").await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(
            client
                .add_order(id, "mailin")
                .pid([1])
                .await
                .expect("order")
                .orderid,
        );
    }
    client.accept_order(ids[0]).await.expect("accept");
    client.fraud_order(ids[1]).await.expect("fraud");
    let counts = client.get_order_statuses().await.expect("statuses");
    let count = |title: &str| {
        counts
            .statuses
            .iter()
            .find(|s| s.title.as_deref() == Some(title))
            .and_then(|s| s.count)
    };
    assert_eq!(counts.totalresults, Some(4));
    assert_eq!(count("Pending"), Some(2));
    assert_eq!(count("Active"), Some(1));
    assert_eq!(count("Fraud"), Some(1));
    assert_eq!(count("Cancelled"), Some(0));
}

#[tokio::test]
async fn a_fraud_check_needs_an_active_fraud_module() {
    let (_mock, client) = start().await;
    let (_, orderid, _) = with_order(&client, "screen@example.com").await;
    let e = api_error(client.order_fraud_check(orderid).await);
    assert_eq!(e, OrderFraudCheckError::NoActiveFraudModule);
    client
        .activate_module("fraud", "maxmind")
        .await
        .expect("ActivateModule");
    let check = client
        .order_fraud_check(orderid)
        .ipaddress("198.51.100.7")
        .await
        .expect("OrderFraudCheck");
    assert_eq!(check.module.as_deref(), Some("maxmind"));
    assert_eq!(check.status.as_deref(), Some("Pass"));
    let o = order(&client, orderid).await.expect("order");
    assert_eq!(o.fraudmodule.as_deref(), Some("maxmind"));
    assert!(o.fraudoutput.unwrap_or_default().contains("198.51.100.7"));
    let e = api_error(client.order_fraud_check(31337).await);
    assert_eq!(e, OrderFraudCheckError::OrderNotFound);
}

#[tokio::test]
async fn promotion_codes_discount_the_products_they_apply_to() {
    let (mock, client) = start().await;
    let mut state = mock.snapshot();
    state["catalogue"]["promotions"]["rows"]["1"] = json!({
        "code": "SAVE10", "type": "Percentage", "value": "10", "appliesto": [1], "recurring": true,
    });
    state["catalogue"]["promotions"]["rows"]["2"] = json!({
        "code": "OLD", "type": "Fixed Amount", "value": "5", "appliesto": [1],
        "expirationdate": "2025-12-31",
    });
    mock.seed(state).expect("seed");

    let promos = client.get_promotions().await.expect("GetPromotions");
    assert_eq!(promos.totalresults, Some(2));
    let one = client
        .get_promotions()
        .code("save10")
        .await
        .expect("one code");
    assert_eq!(one.promotions.len(), 1);
    assert_eq!(one.promotions[0].value, Some(money("10")));

    let id = new_client(&client, "promo@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([1])
        .promocode("SAVE10")
        .await
        .expect("order");
    let invoice = client
        .get_invoice(o.invoiceid.expect("invoice"))
        .await
        .expect("invoice");
    assert_eq!(invoice.total, Some(money("9.00")));
    assert!(invoice.items.iter().any(
        |i| i.item_type.as_deref() == Some("PromoHosting") && i.amount == Some(money("-1.00"))
    ));
    let s = service(&client, o.serviceids[0]).await;
    assert_eq!(
        s.recurringamount,
        Some(money("9.00")),
        "a recurring discount"
    );
    assert_eq!(s.promoid, Some(1));
    let placed = order(&client, o.orderid).await.expect("order");
    assert_eq!(placed.promocode.as_deref(), Some("SAVE10"));
    let used = client.get_promotions().code("SAVE10").await.expect("uses");
    assert_eq!(used.promotions[0].uses, Some(1));

    let expired = client
        .add_order(id, "mailin")
        .pid([1])
        .promocode("OLD")
        .await
        .expect("order");
    let invoice = client
        .get_invoice(expired.invoiceid.expect("invoice"))
        .await
        .expect("invoice");
    assert_eq!(
        invoice.total,
        Some(money("10.00")),
        "an expired code gives nothing"
    );
}

#[tokio::test]
async fn added_products_are_listed_and_ordered_at_their_price() {
    let (mock, client) = start().await;
    let fresh = client.get_products().await.expect("GetProducts");
    assert_eq!(fresh.totalresults, Some(1));
    assert_eq!(fresh.products[0].name.as_deref(), Some("Starter Hosting"));

    let pid = client
        .add_product(1, "Big VPS")
        .type_value(whmcs_api::actions::products::add_product::ProductType::Server)
        .paytype(whmcs_api::actions::products::add_product::PayType::Recurring)
        .module("plesk")
        .pricing([(
            "1",
            [("monthly", money("25.00")), ("msetupfee", money("5.00"))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        )])
        .await
        .expect("AddProduct")
        .pid;
    let listed = client
        .get_products()
        .pid(pid.to_string())
        .await
        .expect("one product");
    assert_eq!(listed.totalresults, Some(1));
    let p = &listed.products[0];
    assert_eq!(p.name.as_deref(), Some("Big VPS"));
    assert_eq!(p.slug.as_deref(), Some("big-vps"));
    assert_eq!(p.module.as_deref(), Some("plesk"));
    let usd = p.pricing.get("USD").expect("USD prices");
    assert_eq!(usd.monthly, Some(money("25.00")));
    assert_eq!(usd.annually, Some(money("-1.00")), "not offered");
    let by_module = client
        .get_products()
        .module("plesk")
        .await
        .expect("by module");
    assert_eq!(by_module.totalresults, Some(1));
    let by_group = client.get_products().gid(1).await.expect("by group");
    assert_eq!(by_group.totalresults, Some(2));

    let id = new_client(&client, "vps@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([pid])
        .billingcycle(["annually"])
        .await
        .expect("order");
    let s = service(&client, o.serviceids[0]).await;
    assert_eq!(
        s.billingcycle,
        Some(BillingCycle::Monthly),
        "the cycle offered"
    );
    assert_eq!(
        s.firstpaymentamount,
        Some(money("30.00")),
        "price and setup"
    );
    assert_eq!(s.recurringamount, Some(money("25.00")));

    let e = api_error(client.add_product(9, "Nowhere").await);
    assert_eq!(e, AddProductError::InvalidProductGroup);
    let e = api_error(client.add_product(1, "Pink").color("pink").await);
    assert_eq!(e, AddProductError::InvalidColor);
    let e = raw(&mock, "AddProduct", &[("gid", "1")]).await;
    assert_eq!(e["message"], "You must supply a name for the product");
}

#[tokio::test]
async fn module_commands_move_a_service_through_its_lifecycle() {
    let (_mock, client) = start().await;
    let (_, _, sid) = with_order(&client, "module@example.com").await;
    client.module_create(sid).await.expect("ModuleCreate");
    let s = service(&client, sid).await;
    assert_eq!(s.status, Some(ServiceStatus::Active));
    assert_eq!(s.serverid, Some(1), "placed on the cPanel server");
    let e = api_error(client.module_create(sid).await);
    assert_eq!(e, ModuleCreateError::ServerResponse, "the account exists");

    client
        .module_suspend(sid)
        .suspendreason("abuse")
        .await
        .expect("ModuleSuspend");
    let s = service(&client, sid).await;
    assert_eq!(s.status, Some(ServiceStatus::Suspended));
    assert_eq!(s.suspensionreason.as_deref(), Some("abuse"));
    let e = api_error(client.module_suspend(sid).await);
    assert_eq!(e, ModuleSuspendError::ServerResponse);

    client.module_unsuspend(sid).await.expect("ModuleUnsuspend");
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Active)
    );
    let e = api_error(client.module_unsuspend(sid).await);
    assert_eq!(e, ModuleUnsuspendError::ServerResponse);

    client
        .module_change_pw(sid)
        .servicepassword("n3w-pass")
        .await
        .expect("ModuleChangePw");
    assert_eq!(
        service(&client, sid)
            .await
            .password
            .map(|p| p.expose().to_string())
            .as_deref(),
        Some("n3w-pass")
    );
    client
        .module_custom(sid, "reboot")
        .await
        .expect("ModuleCustom");
    client
        .module_change_package(sid)
        .await
        .expect("ModuleChangePackage");

    client.module_terminate(sid).await.expect("ModuleTerminate");
    assert_eq!(
        service(&client, sid).await.status,
        Some(ServiceStatus::Terminated)
    );
    let e = api_error(client.module_terminate(sid).await);
    assert_eq!(e, ModuleTerminateError::ServerResponse);

    let e = api_error(client.module_create(99_999).await);
    assert_eq!(e, ModuleCreateError::ServiceNotFound);

    // A product without a module has nothing to run the commands.
    let pid = client
        .add_product(1, "Consulting")
        .await
        .expect("product")
        .pid;
    let id = new_client(&client, "nomodule@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([pid])
        .await
        .expect("order");
    let e = api_error(client.module_create(o.serviceids[0]).await);
    assert_eq!(e, ModuleCreateError::NoModuleAssigned);
}

#[tokio::test]
async fn updating_a_service_persists() {
    let (_mock, client) = start().await;
    let (_, _, sid) = with_order(&client, "update@example.com").await;
    let due: whmcs_api::Date = "2026-03-15".parse().expect("date");
    client
        .update_client_product(sid)
        .domain("renamed.example")
        .recurringamount(money("7.50"))
        .billingcycle(BillingCycle::Quarterly)
        .nextduedate(due)
        .notes("VIP")
        .serviceusername("grace")
        .dedicatedip("192.0.2.44")
        .status(ServiceStatus::Active)
        .await
        .expect("UpdateClientProduct");
    let s = service(&client, sid).await;
    assert_eq!(s.domain.as_deref(), Some("renamed.example"));
    assert_eq!(s.recurringamount, Some(money("7.50")));
    assert_eq!(s.billingcycle, Some(BillingCycle::Quarterly));
    assert_eq!(s.nextduedate, Some(due));
    assert_eq!(s.notes.as_deref(), Some("VIP"));
    assert_eq!(s.username.as_deref(), Some("grace"));
    assert_eq!(s.dedicatedip.as_deref(), Some("192.0.2.44"));
    assert_eq!(s.status, Some(ServiceStatus::Active));

    let by_user = client
        .get_clients_products()
        .username2("grace")
        .await
        .expect("by username");
    assert_eq!(by_user.totalresults, Some(1));

    client
        .update_client_product(sid)
        .autorecalc(true)
        .await
        .expect("recalc");
    assert_eq!(
        service(&client, sid).await.recurringamount,
        Some(money("30.00")),
        "a quarter of Starter Hosting"
    );
    let e = api_error(client.update_client_product(12345).await);
    assert_eq!(e, UpdateClientProductError::ServiceIdNotFound);
}

#[tokio::test]
async fn upgrades_are_priced_for_the_rest_of_the_term_and_applied_when_paid() {
    let (mock, client) = start().await;
    let (_, orderid, sid) = with_order(&client, "upgrade@example.com").await;
    client.accept_order(orderid).await.expect("accept");
    let invoice = order(&client, orderid)
        .await
        .and_then(|o| o.invoiceid)
        .expect("invoice");
    pay(&client, &mock, invoice, "T-1").await;
    mock.advance_days(1);
    assert_eq!(
        service(&client, sid).await.nextduedate,
        Some("2026-02-01".parse().expect("date")),
        "a paid month moves the due date"
    );
    let bigger = client
        .add_product(1, "Business Hosting")
        .paytype(whmcs_api::actions::products::add_product::PayType::Recurring)
        .pricing([(
            "1",
            [("monthly".to_string(), money("40.00"))]
                .into_iter()
                .collect(),
        )])
        .await
        .expect("product")
        .pid;

    let quote = client
        .upgrade_product(sid, "mailin", UpgradeType::Product)
        .newproductid(bigger)
        .newproductbillingcycle("monthly")
        .calconly(true)
        .await
        .expect("calconly");
    assert_eq!(quote.daysuntilrenewal, Some(30));
    assert_eq!(quote.totaldays, Some(31));
    assert_eq!(quote.price.as_deref(), Some("$29.03 USD"));
    assert_eq!(quote.upgradeinprogress, Some(false));

    let placed = client
        .upgrade_product(sid, "mailin", UpgradeType::Product)
        .newproductid(bigger)
        .newproductbillingcycle("monthly")
        .await
        .expect("UpgradeProduct");
    let upgrade_invoice = placed.invoiceid.expect("an invoice for the difference");
    assert_eq!(
        client
            .get_invoice(upgrade_invoice)
            .await
            .expect("invoice")
            .total,
        Some(money("29.03"))
    );
    let e = api_error(
        client
            .upgrade_product(sid, "mailin", UpgradeType::Product)
            .newproductid(bigger)
            .await,
    );
    assert_eq!(e, UpgradeProductError::PreviousUpgradeUnpaid);
    assert_eq!(
        service(&client, sid).await.pid,
        Some(1),
        "not before payment"
    );

    pay(&client, &mock, upgrade_invoice, "T-2").await;
    mock.advance_days(1);
    let s = service(&client, sid).await;
    assert_eq!(s.pid, Some(bigger));
    assert_eq!(s.recurringamount, Some(money("40.00")));

    let e = api_error(
        client
            .upgrade_product(sid, "bitcoin", UpgradeType::Product)
            .newproductid(1)
            .await,
    );
    assert!(matches!(
        e,
        UpgradeProductError::InvalidPaymentMethod { .. }
    ));
    let e = api_error(
        client
            .upgrade_product(777, "mailin", UpgradeType::Product)
            .await,
    );
    assert_eq!(e, UpgradeProductError::ServiceNotFound);
}

#[tokio::test]
async fn service_addons_are_listed_filtered_and_updated() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "addons@example.com").await;
    let first = client
        .add_order(id, "mailin")
        .pid([1, 1])
        .addons(["1", "1"])
        .await
        .expect("order");
    let second = client
        .add_order(id, "mailin")
        .addonid(1)
        .serviceid(first.serviceids[0])
        .await
        .expect("addon-only order");
    assert_eq!(second.addonids.len(), 1);
    assert!(second.serviceids.is_empty());

    let all = client
        .get_clients_addons()
        .clientid(id)
        .await
        .expect("addons");
    assert_eq!(all.totalresults, Some(3));
    let of_first = client
        .get_clients_addons()
        .serviceid(first.serviceids[0].to_string())
        .await
        .expect("of one service");
    assert_eq!(of_first.totalresults, Some(2));
    let of_both = client
        .get_clients_addons()
        .serviceid(format!("{},{}", first.serviceids[0], first.serviceids[1]))
        .await
        .expect("of both");
    assert_eq!(of_both.totalresults, Some(3));

    let aid = first.addonids[0];
    client
        .update_client_addon(aid)
        .name("Hourly Backups")
        .recurring(money("4.00"))
        .status(ServiceStatus::Active)
        .notes("upsold")
        .await
        .expect("UpdateClientAddon");
    let got = client
        .get_clients_addons()
        .clientid(id)
        .await
        .expect("addons")
        .addons
        .into_iter()
        .find(|a| a.id == Some(aid))
        .expect("the addon");
    assert_eq!(got.name.as_deref(), Some("Hourly Backups"));
    assert_eq!(got.recurring, Some(money("4.00")));
    assert_eq!(got.status, Some(ServiceStatus::Active));
    assert_eq!(got.notes.as_deref(), Some("upsold"));

    let e = api_error(client.update_client_addon(aid).await);
    assert_eq!(e, UpdateClientAddonError::NothingToUpdate);
    let e = api_error(client.update_client_addon(9999).notes("x").await);
    assert_eq!(e, UpdateClientAddonError::AddonIdNotFound);
}

#[tokio::test]
async fn cancellation_requests_are_listed_once_per_service() {
    let (_mock, client) = start().await;
    let (_, _, sid) = with_order(&client, "leaving@example.com").await;
    client
        .add_cancel_request(sid)
        .cancel_type(CancellationType::Immediate)
        .reason("moving")
        .await
        .expect("AddCancelRequest");
    let e = api_error(client.add_cancel_request(sid).await);
    assert_eq!(e, AddCancelRequestError::ExistingCancellationRequestExists);
    let e = api_error(client.add_cancel_request(4040).await);
    assert_eq!(e, AddCancelRequestError::ServiceIdNotFound);
    let listed = client
        .get_cancelled_packages()
        .await
        .expect("GetCancelledPackages");
    assert_eq!(listed.totalresults, Some(1));
    assert_eq!(listed.packages[0].relid, Some(sid));
    assert_eq!(
        listed.packages[0].cancel_type,
        Some(CancellationType::Immediate)
    );
}

#[tokio::test]
async fn servers_list_their_load() {
    let (_mock, client) = start().await;
    let servers = client.get_servers().await.expect("GetServers");
    assert_eq!(servers.servers.len(), 1);
    assert_eq!(servers.servers[0].module.as_deref(), Some("cpanel"));
    assert_eq!(servers.servers[0].active_services, Some(0));
    let (_, _, sid) = with_order(&client, "load@example.com").await;
    client.module_create(sid).await.expect("create");
    let servers = client
        .get_servers()
        .service_id(sid)
        .fetch_status(true)
        .await
        .expect("for the service");
    assert_eq!(servers.servers.len(), 1);
    assert_eq!(servers.servers[0].active_services, Some(1));
    assert!(servers.servers[0].status.is_some());
    let pid = client
        .add_product(1, "Plesk Box")
        .module("plesk")
        .await
        .expect("product")
        .pid;
    let id = new_client(&client, "plesk@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([pid])
        .await
        .expect("order");
    let none = client
        .get_servers()
        .service_id(o.serviceids[0])
        .await
        .expect("no plesk server");
    assert!(none.servers.is_empty());
}

#[tokio::test]
async fn automation_failures_wait_in_the_module_queue() {
    let (_mock, client) = start().await;
    let pid = client
        .add_product(1, "Plesk Box")
        .module("plesk")
        .await
        .expect("product")
        .pid;
    let id = new_client(&client, "queue@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([pid, 1])
        .await
        .expect("order");
    client
        .accept_order(o.orderid)
        .autosetup(true)
        .await
        .expect("accept");
    let failed = o.serviceids[0];
    assert_eq!(
        service(&client, failed).await.status,
        Some(ServiceStatus::Pending),
        "no plesk server to create it on"
    );
    assert_eq!(
        service(&client, o.serviceids[1]).await.status,
        Some(ServiceStatus::Active)
    );
    let queue = client.get_module_queue().await.expect("GetModuleQueue");
    assert_eq!(queue.count, Some(1));
    let entry = &queue.queue[0];
    assert_eq!(entry.service_id, Some(failed));
    assert_eq!(entry.module_name.as_deref(), Some("plesk"));
    assert_eq!(entry.module_action.as_deref(), Some("CreateAccount"));
    let filtered = client
        .get_module_queue()
        .module_name("cpanel")
        .await
        .expect("filtered");
    assert_eq!(filtered.count, Some(0));
    let by_item = client
        .get_module_queue()
        .related_id(failed)
        .module_action("CreateAccount")
        .await
        .expect("by item");
    assert_eq!(by_item.count, Some(1));
    let health = client.get_health_status().await.expect("health");
    let warnings = health.checks.expect("checks").warning;
    assert!(
        warnings
            .iter()
            .any(|c| c.name.as_deref() == Some("ModuleQueue"))
    );
}

#[tokio::test]
async fn modules_are_activated_configured_and_deactivated() {
    let (_mock, client) = start().await;
    let registrars = client.get_registrars().await.expect("GetRegistrars");
    assert_eq!(registrars.registrars, Some(serde_json::json!(["enom"])));

    let params = client
        .get_module_configuration_parameters("gateway", "paypal")
        .await
        .expect("parameters");
    assert!(
        params
            .parameters
            .iter()
            .any(|p| p.name.as_deref() == Some("email"))
    );
    let e = client.activate_module("widget", "paypal").await;
    assert_eq!(
        e.expect_err("type").message(),
        Some(
            "Invalid module type provided. Supported module types include: gateway, registrar, fraud, addon, server"
        )
    );
    let e = client.activate_module("gateway", "nosuchpay").await;
    assert_eq!(
        e.expect_err("name").message(),
        Some("Invalid module name provided.")
    );

    let id = new_client(&client, "gateways@example.com").await;
    assert!(
        client.add_order(id, "stripe").pid([1]).await.is_err(),
        "stripe is not active yet"
    );
    client
        .activate_module("gateway", "stripe")
        .parameters([("publishableKey", "pk_test")])
        .await
        .expect("activate");
    let o = client
        .add_order(id, "stripe")
        .pid([1])
        .await
        .expect("stripe order");
    client
        .update_module_configuration("gateway", "stripe")
        .parameters([("FriendlyName", "Card Checkout")])
        .await
        .expect("configure");
    assert_eq!(
        service(&client, o.serviceids[0])
            .await
            .paymentmethodname
            .as_deref(),
        Some("Card Checkout")
    );
    client
        .deactivate_module("gateway", "stripe")
        .new_gateway("mailin")
        .await
        .expect("deactivate");
    assert_eq!(
        service(&client, o.serviceids[0])
            .await
            .paymentmethod
            .as_deref(),
        Some("mailin"),
        "its services move to the new gateway"
    );
    let e = client
        .update_module_configuration("gateway", "stripe")
        .await;
    assert!(e.expect_err("inactive").is_api());

    client
        .activate_module("registrar", "resellerclub")
        .await
        .expect("registrar");
    let registrars = client.get_registrars().await.expect("GetRegistrars");
    assert_eq!(
        registrars
            .registrars
            .as_ref()
            .and_then(|r| r.as_array())
            .map(Vec::len),
        Some(2)
    );
}

#[tokio::test]
async fn health_follows_the_cron() {
    let (mock, client) = start().await;
    let health = client.get_health_status().await.expect("health");
    let checks = health.checks.expect("checks");
    assert!(
        checks
            .warning
            .iter()
            .any(|c| c.name.as_deref() == Some("CronStatus"))
    );
    mock.advance_days(1);
    let health = client.get_health_status().await.expect("health");
    let checks = health.checks.expect("checks");
    assert!(
        checks
            .success
            .iter()
            .any(|c| c.name.as_deref() == Some("CronStatus"))
    );
}

#[tokio::test]
async fn unknown_ids_answer_the_documented_errors() {
    let (_mock, client) = start().await;
    assert_eq!(
        api_error(client.cancel_order(404).await),
        CancelOrderError::OrderNotFoundOrNotPending
    );
    assert_eq!(
        api_error(client.module_suspend(404).await),
        ModuleSuspendError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.module_unsuspend(404).await),
        ModuleUnsuspendError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.module_terminate(404).await),
        ModuleTerminateError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.module_change_package(404).await),
        whmcs_api::actions::ModuleChangePackageError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.module_change_pw(404).await),
        whmcs_api::actions::ModuleChangePwError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.module_custom(404, "reboot").await),
        whmcs_api::actions::ModuleCustomError::ServiceNotFound
    );
    assert_eq!(
        api_error(client.add_order(404, "mailin").pid([1]).await),
        AddOrderError::ClientIdNotFound
    );
}

#[tokio::test]
async fn client_services_filter_and_page() {
    let (_mock, client) = start().await;
    let a = new_client(&client, "filters-a@example.com").await;
    let b = new_client(&client, "filters-b@example.com").await;
    let vps = client.add_product(1, "VPS").await.expect("product").pid;
    let mine = client
        .add_order(a, "mailin")
        .pid([1, 1, 1, vps])
        .domain([
            "one.example",
            "two.example",
            "three.example",
            "four.example",
        ])
        .await
        .expect("order");
    client
        .add_order(b, "mailin")
        .pid([1])
        .domain(["two.example"])
        .await
        .expect("order");

    let of_a = client
        .get_clients_products()
        .clientid(a)
        .await
        .expect("of a");
    assert_eq!(of_a.totalresults, Some(4));
    assert_eq!(of_a.clientid, Some(a), "the filter is echoed");
    let by_product = client
        .get_clients_products()
        .pid(vps)
        .await
        .expect("by product");
    assert_eq!(
        by_product
            .products
            .iter()
            .filter_map(|s| s.id)
            .collect::<Vec<_>>(),
        vec![mine.serviceids[3]]
    );
    let by_domain = client
        .get_clients_products()
        .domain("two.example")
        .await
        .expect("by domain");
    assert_eq!(by_domain.totalresults, Some(2));
    let page = client
        .get_clients_products()
        .clientid(a)
        .limitstart(1)
        .limitnum(2)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(4));
    assert_eq!(page.numreturned, Some(2));
    assert_eq!(
        page.products
            .iter()
            .filter_map(|s| s.id)
            .collect::<Vec<_>>(),
        mine.serviceids[1..3].to_vec()
    );
    for sid in &mine.serviceids {
        client.add_cancel_request(*sid).await.expect("cancel");
    }
    let cancelled = client
        .get_cancelled_packages()
        .limitstart(3)
        .limitnum(2)
        .await
        .expect("cancelled page");
    assert_eq!(cancelled.totalresults, Some(4));
    assert_eq!(cancelled.numreturned, Some(1));
    assert_eq!(cancelled.packages[0].relid, Some(mine.serviceids[3]));
}

/// Product 2 ("Big VPS") with a required custom field 3 ("Hostname label") and a radio option 3
/// ("RAM": choices 4 "4 GB" and 5 "8 GB"), beside product 1's field 2 and options 1 and 2 of a
/// fresh installation.
async fn with_fields(mock: &MockServer, client: &Client) -> i64 {
    let pid = client
        .add_product(1, "Big VPS")
        .await
        .expect("AddProduct")
        .pid;
    let mut state = mock.snapshot();
    state["catalogue"]["customfields"]["rows"]["3"] = json!({
        "type": "product", "relid": pid, "name": "Hostname label",
        "description": "Shown in the panel.", "required": true
    });
    state["catalogue"]["configoptions"]["rows"]["3"] = json!({
        "products": [pid], "name": "RAM", "type": 2,
        "choices": [{ "id": 4, "name": "4 GB" }, { "id": 5, "name": "8 GB" }]
    });
    mock.seed(state).expect("seed");
    pid
}

/// A service's custom fields as (id, name, value), checking `translated_name` is the name.
fn custom_fields(s: &ClientService) -> Vec<(i64, String, String)> {
    s.customfields
        .iter()
        .map(|f| {
            assert_eq!(f.translated_name, f.name);
            (
                f.id.expect("id"),
                f.name.clone().expect("name"),
                f.value.clone().expect("value"),
            )
        })
        .collect()
}

/// A service's configurable options as (id, option, type, value).
fn config_options(s: &ClientService) -> Vec<(i64, String, ConfigOptionType, String)> {
    s.configoptions
        .iter()
        .map(|o| {
            (
                o.id.expect("id"),
                o.option.clone().expect("option"),
                o.option_type.clone().expect("type"),
                o.value.clone().expect("value"),
            )
        })
        .collect()
}

#[tokio::test]
async fn get_products_lists_custom_field_and_option_definitions() {
    let (mock, client) = start().await;
    let pid = with_fields(&mock, &client).await;
    let listed = client.get_products().await.expect("GetProducts");
    let starter = &listed.products[0];
    let fields: Vec<_> = starter
        .customfields
        .iter()
        .map(|f| (f.id, f.name.as_deref(), f.required.as_deref()))
        .collect();
    assert_eq!(fields, [(Some(2), Some("Website purpose"), Some(""))]);
    assert!(
        starter.customfields[0]
            .description
            .as_deref()
            .is_some_and(|d| !d.is_empty())
    );
    let options: Vec<_> = starter
        .configoptions
        .iter()
        .map(|o| {
            let choices: Vec<_> = o.options.iter().map(|c| (c.id, c.name.clone())).collect();
            (o.id, o.name.clone(), o.option_type, choices)
        })
        .collect();
    assert_eq!(
        options,
        [
            (
                Some(1),
                Some("Disk Space (GB)".into()),
                Some(4),
                vec![(Some(1), Some("GB".into()))]
            ),
            (
                Some(2),
                Some("Location".into()),
                Some(1),
                vec![
                    (Some(2), Some("London".into())),
                    (Some(3), Some("New York".into()))
                ]
            ),
        ]
    );
    assert_eq!(starter.configoptions[0].maxqty, Some(100));

    let vps = client
        .get_products()
        .pid(pid.to_string())
        .await
        .expect("GetProducts");
    let vps = &vps.products[0];
    assert_eq!(vps.customfields.len(), 1);
    assert_eq!(vps.customfields[0].id, Some(3));
    assert_eq!(vps.customfields[0].required.as_deref(), Some("on"));
    assert_eq!(vps.configoptions.len(), 1);
    assert_eq!(vps.configoptions[0].option_type, Some(2));
}

#[tokio::test]
async fn each_ordered_service_keeps_its_own_custom_fields_and_options() {
    let (mock, client) = start().await;
    let vps = with_fields(&mock, &client).await;
    let id = new_client(&client, "fields@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .pid([1, vps, 1])
        .customfields([
            PhpArray::new().with(2, "Shop"),
            // Field 2 is product 1's: not kept on the VPS.
            PhpArray::new()
                .with(3, "vps-a")
                .with(2, "not this product's"),
            PhpArray::new().with(2, "Blog"),
        ])
        .configoptions([
            PhpArray::new().with(1, 20).with(2, 3),
            PhpArray::new().with(3, 5).with(1, 7),
        ])
        .await
        .expect("AddOrder");
    assert_eq!(o.serviceids.len(), 3);
    let shop = service(&client, o.serviceids[0]).await;
    let server = service(&client, o.serviceids[1]).await;
    let blog = service(&client, o.serviceids[2]).await;
    let purpose = |v: &str| vec![(2, "Website purpose".to_string(), v.to_string())];
    assert_eq!(custom_fields(&shop), purpose("Shop"));
    assert_eq!(custom_fields(&blog), purpose("Blog"));
    assert_eq!(
        custom_fields(&server),
        [(3, "Hostname label".to_string(), "vps-a".to_string())]
    );
    let disk = |v: &str| {
        (
            1,
            "Disk Space (GB)".to_string(),
            ConfigOptionType::Quantity,
            v.to_string(),
        )
    };
    let place = |v: &str| {
        (
            2,
            "Location".to_string(),
            ConfigOptionType::Dropdown,
            v.to_string(),
        )
    };
    assert_eq!(config_options(&shop), [disk("20"), place("New York")]);
    assert_eq!(
        config_options(&server),
        [(
            3,
            "RAM".to_string(),
            ConfigOptionType::Radio,
            "8 GB".to_string()
        )]
    );
    assert_eq!(
        config_options(&blog),
        [disk(""), place("")],
        "nothing chosen"
    );

    // Given ids replace their values; a dropdown takes `optionid`, a quantity `qty`.
    client
        .update_client_product(o.serviceids[0])
        .customfields([(2, "Online shop")])
        .configoptions(
            PhpArray::new()
                .with(
                    2,
                    PhpValue::Array(PhpArray::new().with("optionid", 2).with("qty", 0)),
                )
                .with(
                    1,
                    PhpValue::Array(PhpArray::new().with("optionid", 1).with("qty", 50)),
                ),
        )
        .await
        .expect("UpdateClientProduct");
    let shop = service(&client, o.serviceids[0]).await;
    assert_eq!(custom_fields(&shop), purpose("Online shop"));
    assert_eq!(config_options(&shop), [disk("50"), place("London")]);
    client
        .update_client_product(o.serviceids[0])
        .configoptions([(1, 30)])
        .await
        .expect("UpdateClientProduct");
    let shop = service(&client, o.serviceids[0]).await;
    assert_eq!(
        config_options(&shop),
        [disk("30"), place("London")],
        "Location kept"
    );
    assert_eq!(custom_fields(&shop), purpose("Online shop"), "field kept");
    let blog = service(&client, o.serviceids[2]).await;
    assert_eq!(
        custom_fields(&blog),
        purpose("Blog"),
        "other services untouched"
    );

    // Sent as the reference's example is, already encoded: base64_encode(serialize(array(3 =>
    // "vps-b"))).
    let answer = raw(
        &mock,
        "UpdateClientProduct",
        &[
            ("serviceid", &o.serviceids[1].to_string()),
            ("customfields", "YToxOntpOjM7czo1OiJ2cHMtYiI7fQ=="),
        ],
    )
    .await;
    assert_eq!(answer["result"], "success", "{answer}");
    let server = service(&client, o.serviceids[1]).await;
    assert_eq!(
        custom_fields(&server),
        [(3, "Hostname label".to_string(), "vps-b".to_string())]
    );
}

#[tokio::test]
async fn add_order_confirms_the_order_and_emails_its_invoice_unless_told_not_to() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "buyer@example.com").await;
    assert_eq!(
        mail_subjects(&client, id).await,
        ["Welcome to Example Hosting"]
    );
    let o = client
        .add_order(id, "mailin")
        .pid([1])
        .await
        .expect("AddOrder");
    assert!(o.invoiceid.is_some());
    let mails = client.get_emails(id).await.expect("GetEmails");
    let subjects: Vec<_> = mails
        .emails
        .iter()
        .filter_map(|e| e.subject.as_deref())
        .collect();
    assert_eq!(
        subjects,
        [
            "Customer Invoice",
            "Order Confirmation",
            "Welcome to Example Hosting"
        ]
    );
    assert_eq!(
        mails.emails[1].message.as_deref(),
        Some("<p>Dear Grace Hopper,</p><p>Order Confirmation.</p>"),
        "the client's name merged in"
    );

    let other = new_client(&client, "quiet@example.com").await;
    client
        .add_order(other, "mailin")
        .pid([1])
        .noemail(true)
        .await
        .expect("AddOrder without the confirmation");
    assert_eq!(
        mail_subjects(&client, other).await,
        ["Customer Invoice", "Welcome to Example Hosting"]
    );
    client
        .add_order(other, "mailin")
        .pid([1])
        .noemail(true)
        .noinvoiceemail(true)
        .await
        .expect("AddOrder without any email");
    assert_eq!(
        mail_subjects(&client, other).await,
        ["Customer Invoice", "Welcome to Example Hosting"],
        "nothing more"
    );
}

//! The mock's domains over HTTP, one test per WHMCS rule: the registrar lifecycle (register,
//! renew, transfer, release), nameservers, the transfer lock, ID protection, EPP codes, WHOIS
//! contacts and lookups, TLDs and their prices, updates that persist, lists that filter and page.

use whmcs_api::actions::orders::add_order::DomainOrderType;
use whmcs_api::actions::{
    CreateOrUpdateTLDError, DomainGetNameserversError, DomainRegisterError, DomainReleaseError,
    DomainRenewError, DomainRequestEPPError, DomainStatus, DomainTransferError,
    DomainUpdateNameserversError, DomainUpdateWhoisInfoError, DomainWhoisError,
    UpdateClientDomainError, WhoisStatus,
};
use whmcs_api::{Client, Date, Decimal};

mod common;
use common::{api_error, start};

async fn new_client(client: &Client, email: &str) -> i64 {
    client
        .add_client(whmcs_api::actions::AddClientRequired {
            firstname: "Ada",
            lastname: "Lovelace",
            email,
            address1: "1 Row",
            city: "London",
            state: "LDN",
            postcode: "N1",
            country: "GB",
            phonenumber: "+44.1",
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

/// Orders `name` for a new client (`register` or `transfer`); returns (client, domain id).
async fn ordered(client: &Client, email: &str, name: &str, kind: DomainOrderType) -> (i64, i64) {
    let id = new_client(client, email).await;
    let o = client
        .add_order(id, "mailin")
        .domain([name])
        .domaintype([kind])
        .await
        .expect("AddOrder");
    (id, o.domainids[0])
}

/// A registered domain: ordered and registered; returns (client, domain id).
async fn registered(client: &Client, email: &str, name: &str) -> (i64, i64) {
    let (id, d) = ordered(client, email, name, DomainOrderType::Register).await;
    client
        .domain_register()
        .domainid(d)
        .await
        .expect("DomainRegister");
    (id, d)
}

async fn domain(
    client: &Client,
    id: i64,
) -> whmcs_api::actions::client::get_clients_domains::ClientDomain {
    client
        .get_clients_domains()
        .domainid(id)
        .await
        .expect("GetClientsDomains")
        .domains
        .into_iter()
        .next()
        .expect("the domain")
}

#[tokio::test]
async fn registering_makes_a_domain_active_until_its_expiry() {
    let (_mock, client) = start().await;
    let (_, d) = ordered(
        &client,
        "reg@example.com",
        "first.com",
        DomainOrderType::Register,
    )
    .await;
    let before = domain(&client, d).await;
    assert_eq!(before.status, Some(DomainStatus::Pending));
    assert_eq!(before.expirydate, None);
    client
        .domain_register()
        .domain("FIRST.com")
        .await
        .expect("DomainRegister by name");
    let after = domain(&client, d).await;
    assert_eq!(after.status, Some(DomainStatus::Active));
    assert_eq!(after.registrar.as_deref(), Some("enom"));
    assert_eq!(after.expirydate, Some(date("2027-01-01")));
    let e = api_error(client.domain_register().domainid(d).await);
    assert_eq!(e, DomainRegisterError::RegistrarError, "already registered");
    let e = api_error(client.domain_register().domainid(9191).await);
    assert_eq!(e, DomainRegisterError::DomainNotFound);
    let e = api_error(client.domain_register().domain("nobody.com").await);
    assert_eq!(e, DomainRegisterError::DomainNotFound);
    let e = api_error(client.domain_register().await);
    assert_eq!(
        e,
        DomainRegisterError::DomainNotFound,
        "neither id nor name"
    );
}

#[tokio::test]
async fn accepting_with_sendregistrar_registers_the_order_domains() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "accept@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["accepted.org"])
        .domaintype([DomainOrderType::Register])
        .regperiod([3])
        .await
        .expect("order");
    client
        .accept_order(o.orderid)
        .sendregistrar(true)
        .await
        .expect("AcceptOrder");
    let d = domain(&client, o.domainids[0]).await;
    assert_eq!(d.status, Some(DomainStatus::Active));
    assert_eq!(d.expirydate, Some(date("2029-01-01")));
}

#[tokio::test]
async fn renewing_extends_the_expiry() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "renew@example.com", "renewme.com").await;
    client
        .domain_renew()
        .domainid(d)
        .regperiod(2)
        .await
        .expect("DomainRenew");
    assert_eq!(
        domain(&client, d).await.expirydate,
        Some(date("2029-01-01"))
    );
    client
        .domain_renew()
        .domain("renewme.com")
        .await
        .expect("renew by name, the stored term");
    assert_eq!(
        domain(&client, d).await.expirydate,
        Some(date("2030-01-01"))
    );

    let (_, pending) = ordered(
        &client,
        "renew2@example.com",
        "notyet.com",
        DomainOrderType::Register,
    )
    .await;
    let e = api_error(client.domain_renew().domainid(pending).await);
    assert_eq!(e, DomainRenewError::RegistrarError, "not registered yet");
    let e = api_error(client.domain_renew().domainid(4545).await);
    assert_eq!(e, DomainRenewError::DomainNotFound);
}

#[tokio::test]
async fn transfers_need_the_code_and_complete_at_the_next_daily_run() {
    let (mock, client) = start().await;
    let (_, d) = ordered(
        &client,
        "in@example.com",
        "incoming.com",
        DomainOrderType::Transfer,
    )
    .await;
    let e = api_error(client.domain_transfer().domainid(d).await);
    assert_eq!(
        e,
        DomainTransferError::RegistrarError,
        ".com needs an EPP code"
    );
    client
        .domain_transfer()
        .domainid(d)
        .eppcode("AbC-123")
        .await
        .expect("DomainTransfer");
    assert_eq!(
        domain(&client, d).await.status,
        Some(DomainStatus::PendingTransfer)
    );
    let e = api_error(client.domain_transfer().domainid(d).await);
    assert_eq!(e, DomainTransferError::RegistrarError, "already under way");
    mock.advance_days(1);
    let done = domain(&client, d).await;
    assert_eq!(done.status, Some(DomainStatus::Active));
    assert_eq!(done.expirydate, Some(date("2027-01-02")));
    let e = api_error(client.domain_transfer().domain("ghost.com").await);
    assert_eq!(e, DomainTransferError::DomainNotFound);
}

#[tokio::test]
async fn releasing_hands_the_domain_away() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "out@example.com", "leaving.org").await;
    client
        .domain_release("NEWTAG")
        .domainid(d)
        .await
        .expect("DomainRelease");
    assert_eq!(
        domain(&client, d).await.status,
        Some(DomainStatus::TransferredAway)
    );
    let e = api_error(client.domain_release("NEWTAG").domainid(d).await);
    assert_eq!(e, DomainReleaseError::RegistrarError, "no longer ours");
    let e = api_error(client.domain_release("TAG").domainid(1234).await);
    assert_eq!(e, DomainReleaseError::DomainNotFound);
}

#[tokio::test]
async fn nameservers_are_kept_at_the_registrar() {
    let (_mock, client) = start().await;
    let id = new_client(&client, "ns@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["dns.net"])
        .domaintype([DomainOrderType::Register])
        .nameserver1("ns1.host.test")
        .nameserver2("ns2.host.test")
        .await
        .expect("order");
    let d = o.domainids[0];
    let e = api_error(client.domain_get_nameservers(d).await);
    assert_eq!(
        e,
        DomainGetNameserversError::RegistrarError,
        "not registered"
    );
    client
        .domain_register()
        .domainid(d)
        .await
        .expect("register");
    let got = client.domain_get_nameservers(d).await.expect("get");
    assert_eq!(
        got.ns_values.get(&1).map(String::as_str),
        Some("ns1.host.test")
    );
    assert_eq!(
        got.ns_values.get(&2).map(String::as_str),
        Some("ns2.host.test")
    );

    client
        .domain_update_nameservers("ns1.other.test", "ns2.other.test")
        .domainid(d)
        .ns3("ns3.other.test")
        .await
        .expect("DomainUpdateNameservers");
    let got = client.domain_get_nameservers(d).await.expect("get");
    assert_eq!(
        got.ns_values.get(&1).map(String::as_str),
        Some("ns1.other.test")
    );
    let third = got.ns3.clone().or_else(|| got.ns_values.get(&3).cloned());
    assert_eq!(third.as_deref(), Some("ns3.other.test"));

    let e = api_error(
        client
            .domain_update_nameservers("ns1.x.test", "")
            .domainid(d)
            .await,
    );
    assert_eq!(e, DomainUpdateNameserversError::NameserversRequired);
    let e = api_error(
        client
            .domain_update_nameservers("a.test", "b.test")
            .domainid(6060)
            .await,
    );
    assert_eq!(e, DomainUpdateNameserversError::DomainIdNotFound);
    let e = api_error(client.domain_get_nameservers(6060).await);
    assert_eq!(e, DomainGetNameserversError::DomainIdNotFound);
}

#[tokio::test]
async fn the_transfer_lock_is_set_and_read_back() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "lock@example.com", "locked.com").await;
    assert_eq!(
        client
            .domain_get_locking_status(d)
            .await
            .expect("status")
            .lockstatus
            .as_deref(),
        Some("unlocked")
    );
    client
        .domain_update_locking_status(d)
        .lockstatus(true)
        .await
        .expect("lock");
    assert_eq!(
        client
            .domain_get_locking_status(d)
            .await
            .expect("status")
            .lockstatus
            .as_deref(),
        Some("locked")
    );
    let e = api_error(client.domain_request_epp(d).await);
    assert_eq!(
        e,
        DomainRequestEPPError::RegistrarError,
        "a locked domain keeps its code"
    );
    client
        .domain_update_locking_status(d)
        .lockstatus(false)
        .await
        .expect("unlock");
    assert_eq!(
        client
            .domain_get_locking_status(d)
            .await
            .expect("status")
            .lockstatus
            .as_deref(),
        Some("unlocked")
    );
}

#[tokio::test]
async fn id_protection_is_toggled() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "private@example.com", "private.info").await;
    assert_eq!(domain(&client, d).await.idprotection, Some(false));
    client
        .domain_toggle_id_protect(d)
        .idprotect(true)
        .await
        .expect("on");
    assert_eq!(domain(&client, d).await.idprotection, Some(true));
    client
        .domain_toggle_id_protect(d)
        .idprotect(false)
        .await
        .expect("off");
    assert_eq!(domain(&client, d).await.idprotection, Some(false));
}

#[tokio::test]
async fn the_epp_code_is_the_registrars_and_stays_the_same() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "epp@example.com", "movable.com").await;
    let code = client
        .domain_request_epp(d)
        .await
        .expect("DomainRequestEPP")
        .eppcode
        .map(|c| c.expose().to_string())
        .expect("a code");
    assert_eq!(code.len(), 16);
    let again = client
        .domain_request_epp(d)
        .await
        .expect("again")
        .eppcode
        .map(|c| c.expose().to_string());
    assert_eq!(again.as_deref(), Some(code.as_str()));
    let e = api_error(client.domain_request_epp(3030).await);
    assert_eq!(e, DomainRequestEPPError::DomainIdNotFound);
    let (_, pending) = ordered(
        &client,
        "epp2@example.com",
        "unregistered.com",
        DomainOrderType::Register,
    )
    .await;
    let e = api_error(client.domain_request_epp(pending).await);
    assert_eq!(e, DomainRequestEPPError::RegistrarError);
}

#[tokio::test]
async fn whois_contacts_start_as_the_clients_and_are_updated_from_xml() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "whois@example.com", "contacts.org").await;
    let info = client.domain_get_whois_info(d).await.expect("whois info");
    let registrant = info.registrant.expect("registrant");
    assert_eq!(registrant["First_Name"], "Ada");
    assert_eq!(registrant["Email"], "whois@example.com");
    assert_eq!(info.tech.expect("tech")["Last_Name"], "Lovelace");

    client
        .domain_update_whois_info(
            d,
            "<contactdetails><Registrant><Name>Charles Babbage</Name><Email>cb@example.com</Email>\
             <Company>Engines &amp; Co</Company></Registrant></contactdetails>",
        )
        .await
        .expect("DomainUpdateWhoisInfo");
    let info = client.domain_get_whois_info(d).await.expect("whois info");
    let registrant = info.registrant.expect("registrant");
    assert_eq!(registrant["Name"], "Charles Babbage");
    assert_eq!(registrant["Company"], "Engines & Co");
    assert_eq!(
        info.admin.expect("admin")["First_Name"],
        "Ada",
        "sections not sent stay"
    );

    let e = api_error(
        client
            .domain_update_whois_info(d, "<contactdetails><Registrant>")
            .await,
    );
    assert_eq!(
        e,
        DomainUpdateWhoisInfoError::RegistrarError,
        "malformed XML"
    );
    let e = api_error(client.domain_update_whois_info(d, "").await);
    assert_eq!(e, DomainUpdateWhoisInfoError::XmlRequired);
    let e = api_error(client.domain_update_whois_info(777, "<a/>").await);
    assert_eq!(e, DomainUpdateWhoisInfoError::DomainIdNotFound);
}

#[tokio::test]
async fn whois_lookups_answer_from_the_state() {
    let (_mock, client) = start().await;
    let free = client.domain_whois("free-name.com").await.expect("whois");
    assert_eq!(free.status, Some(WhoisStatus::Available));
    registered(&client, "taken@example.com", "taken.com").await;
    let taken = client.domain_whois("TAKEN.com").await.expect("whois");
    assert_eq!(taken.status, Some(WhoisStatus::Unavailable));
    assert!(taken.whois.unwrap_or_default().contains("TAKEN.COM"));
    let e = api_error(client.domain_whois("not a domain").await);
    assert_eq!(e, DomainWhoisError::DomainNotValid);
    let e = api_error(client.domain_whois("example.zz").await);
    assert_eq!(e, DomainWhoisError::TldNotSupported);
}

#[tokio::test]
async fn tlds_are_priced_created_and_updated() {
    let (_mock, client) = start().await;
    let pricing = client.get_tldpricing().await.expect("GetTLDPricing");
    assert_eq!(
        pricing.currency.and_then(|c| c.code).as_deref(),
        Some("USD")
    );
    let com = pricing.pricing.get("com").expect(".com");
    assert_eq!(com.register.get("1"), Some(&money("12.95")));
    assert_eq!(com.register.get("2"), Some(&money("25.90")));
    assert!(pricing.pricing.contains_key("net") && pricing.pricing.contains_key("org"));

    let created = client
        .create_or_update_tld(".dev")
        .currency_code("USD")
        .register([("1", money("15.00")), ("2", money("29.00"))])
        .renew([("1", money("16.00"))])
        .transfer([("1", money("15.00"))])
        .id_protection(true)
        .grace_period_days(30)
        .grace_period_fee(money("0"))
        .await
        .expect("CreateOrUpdateTLD");
    assert_eq!(created.extension.as_deref(), Some(".dev"));
    let again = client
        .create_or_update_tld("dev")
        .currency_code("USD")
        .register([("1", money("14.00"))])
        .await
        .expect("update");
    assert_eq!(again.id, created.id, "the same TLD, updated");
    let pricing = client.get_tldpricing().await.expect("pricing");
    let dev = pricing.pricing.get("dev").expect(".dev");
    assert_eq!(dev.register.get("1"), Some(&money("14.00")));
    assert_eq!(dev.register.get("2"), Some(&money("29.00")));
    assert!(
        dev.grace_period.is_none(),
        "grace terms are not sent: their shape is not documented"
    );

    // A new TLD can be ordered at its price.
    let id = new_client(&client, "dev@example.com").await;
    let o = client
        .add_order(id, "mailin")
        .domain(["my.dev"])
        .domaintype([DomainOrderType::Register])
        .await
        .expect("order");
    let invoice = client
        .get_invoice(o.invoiceid.expect("invoice"))
        .await
        .expect("invoice");
    assert_eq!(invoice.total, Some(money("14.00")));

    let e = api_error(
        client
            .create_or_update_tld(".dev")
            .register([("1", money("1.00"))])
            .await,
    );
    assert_eq!(e, CreateOrUpdateTLDError::CurrencyCodeRequired);
    let e = api_error(
        client
            .create_or_update_tld(".dev")
            .currency_code("USD")
            .register([("11", money("1.00"))])
            .await,
    );
    assert_eq!(e, CreateOrUpdateTLDError::RegisterPeriodTooLong);
    let e = api_error(
        client
            .create_or_update_tld(".dev")
            .currency_code("USD")
            .transfer([("1", money("1.00")), ("2", money("2.00"))])
            .await,
    );
    assert_eq!(e, CreateOrUpdateTLDError::TooManyTransferPeriods);
    let e = api_error(
        client
            .create_or_update_tld(".dev")
            .currency_code("EUR")
            .renew([("1", money("1.00"))])
            .await,
    );
    assert!(matches!(
        e,
        CreateOrUpdateTLDError::UnknownCurrencyCode { .. }
    ));
    let e = api_error(
        client
            .create_or_update_tld(".dev")
            .auto_registrar("godaddy")
            .await,
    );
    assert_eq!(
        e,
        CreateOrUpdateTLDError::InvalidAutoRegistrar {
            registrars: "enom".into()
        }
    );
}

#[tokio::test]
async fn updating_a_domain_persists() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "edit@example.com", "editme.com").await;
    client
        .update_client_domain(d)
        .expirydate(date("2030-06-30"))
        .nextduedate(date("2030-06-01"))
        .recurringamount(money("9.99"))
        .donotrenew(true)
        .dnsmanagement(true)
        .notes("keep")
        .regperiod(2)
        .await
        .expect("UpdateClientDomain");
    let got = domain(&client, d).await;
    assert_eq!(got.expirydate, Some(date("2030-06-30")));
    assert_eq!(got.nextduedate, Some(date("2030-06-01")));
    assert_eq!(got.recurringamount, Some(money("9.99")));
    assert_eq!(got.donotrenew, Some(true));
    assert_eq!(got.dnsmanagement, Some(true));
    assert_eq!(got.notes.as_deref(), Some("keep"));
    assert_eq!(got.regperiod, Some(2));

    client
        .update_client_domain(d)
        .updatens(true)
        .ns1("a.ns.test")
        .ns2("b.ns.test")
        .await
        .expect("push nameservers");
    let ns = client.domain_get_nameservers(d).await.expect("ns");
    assert_eq!(ns.ns_values.get(&1).map(String::as_str), Some("a.ns.test"));
    let e = api_error(
        client
            .update_client_domain(d)
            .updatens(true)
            .ns1("a.ns.test")
            .await,
    );
    assert_eq!(e, UpdateClientDomainError::NameserversRequired);
    let e = api_error(client.update_client_domain(d).registrar("godaddy").await);
    assert_eq!(e, UpdateClientDomainError::RegistrarNotActive);
    let e = api_error(client.update_client_domain(8080).notes("x").await);
    assert_eq!(e, UpdateClientDomainError::DomainIdNotFound);

    client
        .update_client_domain(d)
        .status("Cancelled")
        .await
        .expect("status");
    assert_eq!(
        domain(&client, d).await.status,
        Some(DomainStatus::Cancelled)
    );
}

#[tokio::test]
async fn a_registrar_without_the_function_says_so() {
    let (_mock, client) = start().await;
    let (_, d) = registered(&client, "basic@example.com", "basic.com").await;
    client
        .activate_module("registrar", "email")
        .await
        .expect("the email registrar");
    client
        .update_client_domain(d)
        .registrar("email")
        .await
        .expect("switch registrar");
    let e = api_error(client.domain_get_nameservers(d).await);
    assert_eq!(e, DomainGetNameserversError::RegistrarFunctionNotSupported);
    client
        .domain_renew()
        .domainid(d)
        .await
        .expect("it still renews");
}

#[tokio::test]
async fn client_domains_filter_and_page() {
    let (_mock, client) = start().await;
    let a = new_client(&client, "many@example.com").await;
    let names: Vec<String> = (0..7).map(|n| format!("site{n}.com")).collect();
    client
        .add_order(a, "mailin")
        .domain(names.clone())
        .domaintype(names.iter().map(|_| DomainOrderType::Register))
        .await
        .expect("order");
    let (b, other) = ordered(
        &client,
        "one@example.com",
        "lonely.org",
        DomainOrderType::Register,
    )
    .await;

    let all = client.get_clients_domains().await.expect("all");
    assert_eq!(all.totalresults, Some(8));
    let of_a = client
        .get_clients_domains()
        .clientid(a)
        .await
        .expect("of a");
    assert_eq!(of_a.totalresults, Some(7));
    assert!(of_a.domains.iter().all(|d| d.userid == Some(a)));
    let by_name = client
        .get_clients_domains()
        .domain("LONELY.org")
        .await
        .expect("by name");
    assert_eq!(by_name.domains.len(), 1);
    assert_eq!(by_name.domains[0].id, Some(other));
    assert_eq!(by_name.domains[0].userid, Some(b));

    let page = client
        .get_clients_domains()
        .clientid(a)
        .limitstart(5)
        .limitnum(5)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(7));
    assert_eq!(page.startnumber, Some(5));
    assert_eq!(page.numreturned, Some(2));
    let walked = client
        .get_clients_domains()
        .clientid(a)
        .pages(3)
        .collect()
        .await
        .expect("pages");
    let walked: Vec<String> = walked.into_iter().filter_map(|d| d.domainname).collect();
    assert_eq!(walked, names);

    let none = client
        .get_clients_domains()
        .domainid(9999)
        .await
        .expect("unknown id");
    assert_eq!(none.totalresults, Some(0));
}

#[tokio::test]
async fn an_order_renews_a_domain_when_its_invoice_is_paid() {
    let (mock, client) = start().await;
    let (id, d) = registered(&client, "again@example.com", "keepme.com").await;
    let o = client
        .add_order(id, "mailin")
        .domainrenewals([("keepme.com", 2)])
        .await
        .expect("renewal order");
    let invoice = o.invoiceid.expect("invoice");
    assert_eq!(
        client.get_invoice(invoice).await.expect("invoice").total,
        Some(money("25.90"))
    );
    client
        .add_invoice_payment(whmcs_api::actions::AddInvoicePaymentRequired {
            invoiceid: invoice,
            transid: "R-1",
            gateway: "mailin",
            date: whmcs_api::DateTime::new(mock.today(), 9, 0, 0).expect("time"),
        })
        .await
        .expect("pay");
    mock.advance_days(1);
    assert_eq!(
        domain(&client, d).await.expirydate,
        Some(date("2029-01-01"))
    );
    let (_, pending) = ordered(
        &client,
        "pend@example.com",
        "pending.com",
        DomainOrderType::Register,
    )
    .await;
    let owner = domain(&client, pending).await.userid.expect("owner");
    let e = client
        .add_order(owner, "mailin")
        .domainrenewals([("pending.com", 1)])
        .await;
    assert_eq!(
        e.expect_err("pending").message(),
        Some("Domain status is set to 'Pending' and cannot be renewed")
    );
    let e = client
        .add_order(owner, "mailin")
        .domainrenewals([("keepme.com", 1)])
        .await;
    assert_eq!(
        e.expect_err("not theirs").message(),
        Some("Domain not owned by Client ID provided")
    );
}

#[tokio::test]
async fn unknown_domain_ids_answer_the_documented_errors() {
    let (_mock, client) = start().await;
    assert_eq!(
        api_error(client.domain_get_locking_status(404).await),
        whmcs_api::actions::DomainGetLockingStatusError::DomainIdNotFound
    );
    assert_eq!(
        api_error(
            client
                .domain_update_locking_status(404)
                .lockstatus(true)
                .await
        ),
        whmcs_api::actions::DomainUpdateLockingStatusError::DomainIdNotFound
    );
    assert_eq!(
        api_error(client.domain_toggle_id_protect(404).await),
        whmcs_api::actions::DomainToggleIdProtectError::DomainIdNotFound
    );
    assert_eq!(
        api_error(client.domain_get_whois_info(404).await),
        whmcs_api::actions::DomainGetWhoisInfoError::DomainIdNotFound
    );
    assert_eq!(
        api_error(client.domain_renew().domain("nowhere.net").await),
        DomainRenewError::DomainNotFound
    );
}

//! Domains clients hold, the TLDs for sale, and the registrar commands on a domain.
//!
//! The mock plays the registrar too: a domain is Pending until DomainRegister (or AcceptOrder
//! with `sendregistrar`) registers it (Active, expiring after its term) or DomainTransfer starts
//! a transfer (Pending Transfer, Active at the next daily run). DomainRenew extends the expiry,
//! DomainRelease hands the domain away (Transferred Away). Nameservers, the transfer lock, ID
//! protection, the EPP code and the WHOIS contacts are kept at the mock's registry and answered
//! back. A registrar command needs the domain's registrar to be an active registrar module, and
//! the domain to be registered; otherwise the registrar's error answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use whmcs_api::actions::client::get_clients_domains;
use whmcs_api::actions::domains::get_tldpricing;
use whmcs_api::actions::{
    CreateOrUpdateTLD, CreateOrUpdateTLDError, CreateOrUpdateTLDResponse, DomainGetLockingStatus,
    DomainGetLockingStatusError, DomainGetLockingStatusResponse, DomainGetNameservers,
    DomainGetNameserversError, DomainGetNameserversResponse, DomainGetWhoisInfo,
    DomainGetWhoisInfoError, DomainGetWhoisInfoResponse, DomainRegister, DomainRegisterError,
    DomainRegisterResponse, DomainRelease, DomainReleaseError, DomainReleaseResponse, DomainRenew,
    DomainRenewError, DomainRenewResponse, DomainRequestEPP, DomainRequestEPPError,
    DomainRequestEPPResponse, DomainStatus, DomainToggleIdProtect, DomainToggleIdProtectError,
    DomainToggleIdProtectResponse, DomainTransfer, DomainTransferError, DomainTransferResponse,
    DomainUpdateLockingStatus, DomainUpdateLockingStatusError, DomainUpdateLockingStatusResponse,
    DomainUpdateNameservers, DomainUpdateNameserversError, DomainUpdateNameserversResponse,
    DomainUpdateWhoisInfo, DomainUpdateWhoisInfoError, DomainUpdateWhoisInfoResponse, DomainWhois,
    DomainWhoisError, DomainWhoisResponse, GetClientsDomains, GetClientsDomainsError,
    GetClientsDomainsResponse, GetRegistrars, GetRegistrarsError, GetRegistrarsResponse,
    GetTLDPricing, GetTLDPricingError, GetTLDPricingResponse, UpdateClientDomain,
    UpdateClientDomainError, UpdateClientDomainResponse, WhoisStatus,
};
use whmcs_api::{Date, Decimal};

use super::dates::add_years;
use super::modules::{self, Modules};
use super::products::{Catalogue, Tld, amount};
use super::registry::Registry;
use super::{State, money, page};

impl Catalogue {
    /// The TLD a domain name is under (the longest one configured), if it is for sale.
    pub(crate) fn tld_of(&self, name: &str) -> Option<(i64, &Tld)> {
        let name = name.trim().to_lowercase();
        self.tlds
            .iter()
            .filter(|(_, t)| {
                name.strip_suffix(&t.extension.to_lowercase())
                    .is_some_and(|label| !label.is_empty() && !label.ends_with('.'))
            })
            .max_by_key(|(_, t)| t.extension.len())
    }
}

/// A domain a client holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Domain {
    pub(crate) userid: i64,
    #[serde(default)]
    pub(crate) orderid: i64,
    /// `Register` or `Transfer`.
    pub(crate) regtype: String,
    pub(crate) domain: String,
    #[serde(default)]
    pub(crate) registrar: String,
    /// The term in years.
    pub(crate) regperiod: i64,
    #[serde(default)]
    pub(crate) firstpaymentamount: Decimal,
    #[serde(default)]
    pub(crate) recurringamount: Decimal,
    #[serde(default)]
    pub(crate) paymentmethod: String,
    pub(crate) regdate: Date,
    /// When the registration lapses; none until registered.
    #[serde(default)]
    pub(crate) expirydate: Option<Date>,
    pub(crate) nextduedate: Date,
    pub(crate) nextinvoicedate: Date,
    pub(crate) status: DomainStatus,
    #[serde(default)]
    pub(crate) subscriptionid: String,
    #[serde(default)]
    pub(crate) promoid: i64,
    #[serde(default)]
    pub(crate) dnsmanagement: bool,
    #[serde(default)]
    pub(crate) emailforwarding: bool,
    #[serde(default)]
    pub(crate) idprotection: bool,
    #[serde(default)]
    pub(crate) donotrenew: bool,
    #[serde(default)]
    pub(crate) notes: String,
    /// The nameservers at the registry, in order.
    #[serde(default)]
    pub(crate) nameservers: Vec<String>,
    /// The registrar's transfer lock.
    #[serde(default)]
    pub(crate) locked: bool,
    /// The transfer code given for an incoming transfer.
    #[serde(default)]
    pub(crate) eppcode: String,
    /// WHOIS contacts by section (`Registrant`, `Admin`, `Tech`); none until changed, when
    /// they are the client's own details.
    #[serde(default)]
    pub(crate) whois: Option<Map<String, Value>>,
    /// The tag the domain was released to.
    #[serde(default)]
    pub(crate) releasedto: String,
    #[serde(default)]
    pub(crate) idnlanguage: String,
}

impl Domain {
    /// A domain with every optional field empty, ordered `today`.
    pub(crate) fn blank(today: Date) -> Self {
        Self {
            userid: 0,
            orderid: 0,
            regtype: "Register".into(),
            domain: String::new(),
            registrar: String::new(),
            regperiod: 1,
            firstpaymentamount: Decimal::ZERO,
            recurringamount: Decimal::ZERO,
            paymentmethod: String::new(),
            regdate: today,
            expirydate: None,
            nextduedate: today,
            nextinvoicedate: today,
            status: DomainStatus::Pending,
            subscriptionid: String::new(),
            promoid: 0,
            dnsmanagement: false,
            emailforwarding: false,
            idprotection: false,
            donotrenew: false,
            notes: String::new(),
            nameservers: Vec::new(),
            locked: false,
            eppcode: String::new(),
            whois: None,
            releasedto: String::new(),
            idnlanguage: String::new(),
        }
    }
}

/// The installation's default nameservers, given to domains ordered without any.
pub(crate) fn default_nameservers() -> Vec<String> {
    vec!["ns1.example.net".into(), "ns2.example.net".into()]
}

/// Whether a domain is registered at its registrar (the registrar answers for it).
pub(crate) fn registered(status: &DomainStatus) -> bool {
    matches!(
        status,
        DomainStatus::Active
            | DomainStatus::Grace
            | DomainStatus::Redemption
            | DomainStatus::Expired
    )
}

/// Why a registrar command failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RegistrarFailure {
    /// The registrar refused (no active registrar, or the domain's state does not allow it).
    Error,
    /// The registrar module has no such function.
    NotSupported,
}

/// Checks that domain `id` has an active registrar (able to run `full` functions if asked) and
/// that its status passes `ok`.
fn registrar_check(
    w: &State,
    id: i64,
    full: bool,
    ok: fn(&DomainStatus) -> bool,
) -> Result<(), RegistrarFailure> {
    let d = w.orders.domains.get(id).ok_or(RegistrarFailure::Error)?;
    if d.registrar.is_empty() || !w.modules.is_active("registrar", &d.registrar) {
        return Err(RegistrarFailure::Error);
    }
    if full && !Modules::registrar_is_full(&d.registrar) {
        return Err(RegistrarFailure::NotSupported);
    }
    if !ok(&d.status) {
        return Err(RegistrarFailure::Error);
    }
    Ok(())
}

/// Registers domain `id` at its registrar: Active, expiring after its term.
pub(crate) fn register_domain(w: &mut State, id: i64) -> Result<(), RegistrarFailure> {
    registrar_check(w, id, false, |s| {
        matches!(
            s,
            DomainStatus::Pending | DomainStatus::PendingRegistration | DomainStatus::Cancelled
        )
    })?;
    let name = w
        .orders
        .domains
        .get(id)
        .map(|d| d.domain.clone())
        .unwrap_or_default();
    let taken = w.orders.domains.iter().any(|(other, d)| {
        other != id && d.domain.eq_ignore_ascii_case(&name) && registered(&d.status)
    });
    if taken {
        return Err(RegistrarFailure::Error);
    }
    let today = w.today();
    let Some(d) = w.orders.domains.get_mut(id) else {
        return Err(RegistrarFailure::Error);
    };
    d.status = DomainStatus::Active;
    d.regtype = "Register".into();
    d.regdate = today;
    d.expirydate = Some(add_years(today, d.regperiod.max(1)));
    let client = d.userid;
    w.log(
        client,
        format!("Domain Registered - {name} - Domain ID: {id}"),
    );
    Ok(())
}

/// Starts the transfer of domain `id` to its registrar (Pending Transfer), with `epp` or the code
/// on file; the daily run completes it.
pub(crate) fn transfer(
    w: &mut State,
    id: i64,
    epp: Option<String>,
) -> Result<(), RegistrarFailure> {
    registrar_check(w, id, false, |s| {
        !registered(s) && *s != DomainStatus::PendingTransfer
    })?;
    let epp_required = w
        .orders
        .domains
        .get(id)
        .and_then(|d| w.catalogue.tld_of(&d.domain))
        .is_some_and(|(_, t)| t.epp_required);
    let Some(d) = w.orders.domains.get_mut(id) else {
        return Err(RegistrarFailure::Error);
    };
    if let Some(code) = epp.filter(|c| !c.is_empty()) {
        d.eppcode = code;
    }
    if epp_required && d.eppcode.is_empty() {
        return Err(RegistrarFailure::Error);
    }
    d.status = DomainStatus::PendingTransfer;
    d.regtype = "Transfer".into();
    let (client, name) = (d.userid, d.domain.clone());
    w.log(
        client,
        format!("Domain Transfer Requested - {name} - Domain ID: {id}"),
    );
    Ok(())
}

/// The domain a registrar command names: its id, else its name.
fn find(w: &State, id: Option<i64>, name: Option<&str>) -> Option<i64> {
    match (id, name.map(str::trim).filter(|n| !n.is_empty())) {
        (Some(id), _) => w.orders.domains.contains(id).then_some(id),
        (None, Some(name)) => w
            .orders
            .domains
            .iter()
            .rev()
            .find(|(_, d)| d.domain.eq_ignore_ascii_case(name))
            .map(|(id, _)| id),
        (None, None) => None,
    }
}

/// A code that looks like a registrar's auth code, the same for a domain every time it is asked.
fn epp_code(id: i64, name: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes().chain(id.to_le_bytes()) {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789#%+";
    let len = CHARS.len() as u64;
    (0..16)
        .map(|i| {
            let index = usize::try_from((hash >> ((i % 8) * 8)).wrapping_add(i) % len).unwrap_or(0);
            char::from(CHARS.get(index).copied().unwrap_or(b'X'))
        })
        .collect()
}

/// The WHOIS contacts of a domain: those set, else the client's details in all three roles.
fn whois_contacts(w: &State, d: &Domain) -> Map<String, Value> {
    if let Some(set) = &d.whois {
        return set.clone();
    }
    let mut contact = Map::new();
    if let Some(c) = w.clients.clients.get(d.userid) {
        for (k, v) in [
            ("First_Name", &c.firstname),
            ("Last_Name", &c.lastname),
            ("Organisation_Name", &c.companyname),
            ("Email", &c.email),
            ("Address_1", &c.address1),
            ("Address_2", &c.address2),
            ("City", &c.city),
            ("State", &c.state),
            ("Postcode", &c.postcode),
            ("Country", &c.country),
            ("Phone", &c.phonenumber),
        ] {
            contact.insert(k.into(), Value::String(v.clone()));
        }
    }
    ["Registrant", "Admin", "Tech"]
        .into_iter()
        .map(|role| (role.to_string(), Value::Object(contact.clone())))
        .collect()
}

/// Reads DomainUpdateWhoisInfo's XML (`<contactdetails><Registrant><Name>…</Name>…`) into
/// sections of fields; `None` when it is not well formed or nests deeper than that.
pub(crate) fn parse_contacts(xml: &str) -> Option<Map<String, Value>> {
    // (name, fields) of the open elements, outermost first.
    let mut open: Vec<(String, Map<String, Value>, String)> = Vec::new();
    let mut top: Vec<(String, Map<String, Value>, String)> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        if let Some(last) = open.last_mut() {
            last.2.push_str(text);
        } else if !text.trim().is_empty() {
            return None;
        }
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let tag = after[..end].trim();
        rest = &after[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let (open_name, fields, text) = open.pop()?;
            if open_name != name.trim() {
                return None;
            }
            let value = if fields.is_empty() {
                Value::String(unescape(&text))
            } else {
                Value::Object(fields)
            };
            match open.last_mut() {
                Some(parent) => {
                    parent.1.insert(open_name, value);
                }
                None => top.push((
                    open_name,
                    value.as_object().cloned().unwrap_or_default(),
                    String::new(),
                )),
            }
        } else if let Some(name) = tag.strip_suffix('/') {
            let parent = open.last_mut()?;
            parent
                .1
                .insert(name.trim().to_string(), Value::String(String::new()));
        } else {
            if open.len() >= 3 {
                return None;
            }
            let name = tag.split_whitespace().next()?.to_string();
            open.push((name, Map::new(), String::new()));
        }
    }
    if !open.is_empty() || !rest.trim().is_empty() {
        return None;
    }
    let sections = match top.as_slice() {
        [(name, fields, _)] if name.eq_ignore_ascii_case("contactdetails") => fields.clone(),
        _ => top
            .into_iter()
            .map(|(name, fields, _)| (name, Value::Object(fields)))
            .collect(),
    };
    sections.values().all(Value::is_object).then_some(sections)
}

/// Text with XML's five entities decoded.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Registers the domain actions.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetClientsDomains>(get_clients_domains);
    r.on::<UpdateClientDomain>(update_client_domain);
    r.on::<DomainRegister>(domain_register);
    r.on::<DomainTransfer>(domain_transfer);
    r.on::<DomainRenew>(domain_renew);
    r.on::<DomainRelease>(domain_release);
    r.read::<DomainGetNameservers>(domain_get_nameservers);
    r.on::<DomainUpdateNameservers>(domain_update_nameservers);
    r.read::<DomainGetLockingStatus>(domain_get_locking_status);
    r.on::<DomainUpdateLockingStatus>(domain_update_locking_status);
    r.on::<DomainToggleIdProtect>(domain_toggle_id_protect);
    r.on::<DomainRequestEPP>(domain_request_epp);
    r.read::<DomainGetWhoisInfo>(domain_get_whois_info);
    r.on::<DomainUpdateWhoisInfo>(domain_update_whois_info);
    r.read::<DomainWhois>(domain_whois);
    r.read::<GetTLDPricing>(get_tld_pricing);
    r.on::<CreateOrUpdateTLD>(create_or_update_tld);
    r.read::<GetRegistrars>(get_registrars);
}

/// GetClientsDomains: the domains matching the client, id and name filters, a page at a time.
fn get_clients_domains(
    w: &State,
    r: GetClientsDomains,
) -> Result<GetClientsDomainsResponse, GetClientsDomainsError> {
    let rows: Vec<get_clients_domains::ClientDomain> = w
        .orders
        .domains
        .iter()
        .filter(|(id, d)| {
            r.clientid.is_none_or(|c| c == d.userid)
                && r.domainid.is_none_or(|x| x == *id)
                && r.domain
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .is_none_or(|n| n.trim().eq_ignore_ascii_case(&d.domain))
        })
        .map(|(id, d)| get_clients_domains::ClientDomain {
            id: Some(id),
            userid: Some(d.userid),
            orderid: Some(d.orderid),
            regtype: d.regtype.parse().ok(),
            domainname: Some(d.domain.clone()),
            registrar: Some(d.registrar.clone()),
            regperiod: Some(d.regperiod),
            firstpaymentamount: Some(d.firstpaymentamount),
            recurringamount: Some(d.recurringamount),
            paymentmethod: Some(d.paymentmethod.clone()),
            paymentmethodname: Some(w.modules.gateway_name(&d.paymentmethod)),
            regdate: Some(d.regdate),
            expirydate: d.expirydate,
            nextduedate: Some(d.nextduedate),
            status: Some(d.status.clone()),
            subscriptionid: Some(d.subscriptionid.clone()),
            promoid: Some(d.promoid),
            dnsmanagement: Some(d.dnsmanagement),
            emailforwarding: Some(d.emailforwarding),
            idprotection: Some(d.idprotection),
            donotrenew: Some(d.donotrenew),
            notes: Some(d.notes.clone()),
            ..Default::default()
        })
        .collect();
    let (total, start, domains) = page(rows, r.limitstart, r.limitnum);
    Ok(GetClientsDomainsResponse {
        clientid: r.clientid,
        domainid: r.domainid,
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(domains.len() as i64),
        domains,
        ..Default::default()
    })
}

/// UpdateClientDomain: stores what is given; a registrar must be active, and `updatens` pushes
/// ns1 and ns2 (both needed) to the registrar.
fn update_client_domain(
    w: &mut State,
    r: UpdateClientDomain,
) -> Result<UpdateClientDomainResponse, UpdateClientDomainError> {
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(UpdateClientDomainError::DomainIdNotFound)?;
    let registrar = r
        .registrar
        .clone()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_ascii_lowercase());
    if let Some(name) = &registrar
        && !w.modules.is_active("registrar", name)
    {
        return Err(UpdateClientDomainError::RegistrarNotActive);
    }
    let nameservers: Option<Vec<String>> = if r.updatens.unwrap_or(false) {
        let ns: Vec<String> = [&r.ns1, &r.ns2, &r.ns3, &r.ns4, &r.ns5]
            .into_iter()
            .map(|n| n.clone().unwrap_or_default().trim().to_string())
            .collect();
        if ns[0].is_empty() || ns[1].is_empty() {
            return Err(UpdateClientDomainError::NameserversRequired);
        }
        let with = registrar.clone().unwrap_or_else(|| d.registrar.clone());
        if with.is_empty() || !w.modules.is_active("registrar", &with) {
            return Err(UpdateClientDomainError::RegistrarError);
        }
        Some(ns.into_iter().filter(|n| !n.is_empty()).collect())
    } else {
        None
    };
    let regperiod = r.regperiod.unwrap_or(d.regperiod).clamp(1, 10);
    let recalc = r.autorecalc.unwrap_or(false).then(|| {
        w.catalogue
            .tld_of(r.domain.as_deref().unwrap_or(&d.domain))
            .and_then(|(_, t)| t.renew_price(regperiod))
    });
    let Some(d) = w.orders.domains.get_mut(r.domainid) else {
        return Err(UpdateClientDomainError::DomainIdNotFound);
    };
    if let Some(status) = r.status.filter(|s| !s.is_empty()) {
        d.status = status.parse().unwrap_or(DomainStatus::Other(status));
    }
    let flag = |field: &mut bool, v: Option<bool>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    flag(&mut d.dnsmanagement, r.dnsmanagement);
    flag(&mut d.emailforwarding, r.emailforwarding);
    flag(&mut d.idprotection, r.idprotection);
    flag(&mut d.donotrenew, r.donotrenew);
    if let Some(t) = r.type_value {
        d.regtype = t.as_str().to_string();
    }
    if let Some(v) = r.regdate {
        d.regdate = v;
    }
    if let Some(v) = r.nextduedate {
        d.nextduedate = v;
        d.nextinvoicedate = v;
    }
    if let Some(v) = r.expirydate {
        d.expirydate = Some(v);
    }
    if let Some(v) = r.domain.filter(|v| !v.trim().is_empty()) {
        d.domain = v.trim().to_lowercase();
    }
    if let Some(v) = r.firstpaymentamount {
        d.firstpaymentamount = amount(v);
    }
    if let Some(v) = r.recurringamount {
        d.recurringamount = amount(v);
    }
    if let Some(v) = registrar {
        d.registrar = v;
    }
    d.regperiod = regperiod;
    if let Some(v) = r.paymentmethod {
        d.paymentmethod = v;
    }
    if let Some(v) = r.subscriptionid {
        d.subscriptionid = v;
    }
    if let Some(v) = r.notes {
        d.notes = v;
    }
    if let Some(v) = r.promoid {
        d.promoid = v;
    }
    if let Some(Some(price)) = recalc {
        d.recurringamount = money(price);
    }
    if let Some(ns) = nameservers {
        d.nameservers = ns;
    }
    let client = d.userid;
    w.log(
        client,
        format!("Modified Domain - Domain ID: {}", r.domainid),
    );
    Ok(UpdateClientDomainResponse {
        domainid: Some(r.domainid),
        ..Default::default()
    })
}

/// DomainRegister: a Pending domain becomes Active, expiring after its term.
fn domain_register(
    w: &mut State,
    r: DomainRegister,
) -> Result<DomainRegisterResponse, DomainRegisterError> {
    let id = find(w, r.domainid, r.domain.as_deref()).ok_or(DomainRegisterError::DomainNotFound)?;
    if let Some(lang) = r.idnlanguage.filter(|l| !l.is_empty())
        && let Some(d) = w.orders.domains.get_mut(id)
    {
        d.idnlanguage = lang;
    }
    register_domain(w, id).map_err(|_| DomainRegisterError::RegistrarError)?;
    Ok(DomainRegisterResponse::default())
}

/// DomainTransfer: starts a transfer (Pending Transfer); a TLD that wants an EPP code needs one.
fn domain_transfer(
    w: &mut State,
    r: DomainTransfer,
) -> Result<DomainTransferResponse, DomainTransferError> {
    let id = find(w, r.domainid, r.domain.as_deref()).ok_or(DomainTransferError::DomainNotFound)?;
    let epp = r.eppcode.map(|e| e.expose().to_string());
    transfer(w, id, epp).map_err(|_| DomainTransferError::RegistrarError)?;
    Ok(DomainTransferResponse::default())
}

/// DomainRenew: a registered domain's expiry moves on by `regperiod` years (else its term).
fn domain_renew(w: &mut State, r: DomainRenew) -> Result<DomainRenewResponse, DomainRenewError> {
    let id = find(w, r.domainid, r.domain.as_deref()).ok_or(DomainRenewError::DomainNotFound)?;
    registrar_check(w, id, false, registered).map_err(|_| DomainRenewError::RegistrarError)?;
    let today = w.today();
    let Some(d) = w.orders.domains.get_mut(id) else {
        return Err(DomainRenewError::DomainNotFound);
    };
    let years = r
        .regperiod
        .filter(|y| (1..=10).contains(y))
        .unwrap_or(d.regperiod.max(1));
    let from = d.expirydate.unwrap_or(today);
    d.expirydate = Some(add_years(from, years));
    d.status = DomainStatus::Active;
    let (client, name) = (d.userid, d.domain.clone());
    w.log(
        client,
        format!("Domain Renewed - {name} - {years} Year/s - Domain ID: {id}"),
    );
    Ok(DomainRenewResponse::default())
}

/// DomainRelease: a registered domain goes to `newtag` (Transferred Away).
fn domain_release(
    w: &mut State,
    r: DomainRelease,
) -> Result<DomainReleaseResponse, DomainReleaseError> {
    let id = find(w, r.domainid, r.domain.as_deref()).ok_or(DomainReleaseError::DomainNotFound)?;
    registrar_check(w, id, true, registered).map_err(|_| DomainReleaseError::RegistrarError)?;
    if r.newtag.trim().is_empty() {
        return Err(DomainReleaseError::RegistrarError);
    }
    let Some(d) = w.orders.domains.get_mut(id) else {
        return Err(DomainReleaseError::DomainNotFound);
    };
    d.status = DomainStatus::TransferredAway;
    d.releasedto = r.newtag.trim().to_string();
    let (client, name) = (d.userid, d.domain.clone());
    w.log(
        client,
        format!(
            "Domain Released - {name} to {} - Domain ID: {id}",
            r.newtag.trim()
        ),
    );
    Ok(DomainReleaseResponse::default())
}

/// DomainGetNameservers: the nameservers at the registrar.
fn domain_get_nameservers(
    w: &State,
    r: DomainGetNameservers,
) -> Result<DomainGetNameserversResponse, DomainGetNameserversError> {
    registrar_check(w, r.domainid, true, registered).map_err(|e| match e {
        RegistrarFailure::NotSupported => DomainGetNameserversError::RegistrarFunctionNotSupported,
        RegistrarFailure::Error => DomainGetNameserversError::RegistrarError,
    })?;
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(DomainGetNameserversError::DomainIdNotFound)?;
    Ok(DomainGetNameserversResponse {
        ns_values: d
            .nameservers
            .iter()
            .take(5)
            .zip(1u32..)
            .map(|(ns, n)| (n, ns.clone()))
            .collect(),
        ..Default::default()
    })
}

/// DomainUpdateNameservers: replaces the nameservers (ns1 and ns2 needed).
fn domain_update_nameservers(
    w: &mut State,
    r: DomainUpdateNameservers,
) -> Result<DomainUpdateNameserversResponse, DomainUpdateNameserversError> {
    let id = find(w, r.domainid, r.domain.as_deref())
        .ok_or(DomainUpdateNameserversError::DomainIdNotFound)?;
    let ns: Vec<String> = [Some(r.ns1), Some(r.ns2), r.ns3, r.ns4, r.ns5]
        .into_iter()
        .map(|n| n.unwrap_or_default().trim().to_string())
        .collect();
    if ns[0].is_empty() || ns[1].is_empty() {
        return Err(DomainUpdateNameserversError::NameserversRequired);
    }
    registrar_check(w, id, true, registered)
        .map_err(|_| DomainUpdateNameserversError::RegistrarError)?;
    let Some(d) = w.orders.domains.get_mut(id) else {
        return Err(DomainUpdateNameserversError::DomainIdNotFound);
    };
    d.nameservers = ns.into_iter().filter(|n| !n.is_empty()).collect();
    let client = d.userid;
    w.log(client, format!("Nameservers Updated - Domain ID: {id}"));
    Ok(DomainUpdateNameserversResponse::default())
}

/// DomainGetLockingStatus: `locked` or `unlocked`.
fn domain_get_locking_status(
    w: &State,
    r: DomainGetLockingStatus,
) -> Result<DomainGetLockingStatusResponse, DomainGetLockingStatusError> {
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(DomainGetLockingStatusError::DomainIdNotFound)?;
    // The reference lists no registrar error here: a registrar that cannot tell answers
    // "unknown", as WHMCS does for a domain not at a registrar.
    let known = registrar_check(w, r.domainid, true, registered).is_ok();
    let status = match (known, d.locked) {
        (false, _) => "unknown",
        (true, true) => "locked",
        (true, false) => "unlocked",
    };
    Ok(DomainGetLockingStatusResponse {
        lockstatus: Some(status.into()),
        ..Default::default()
    })
}

/// DomainUpdateLockingStatus: sets the transfer lock (off unless `lockstatus` is true).
fn domain_update_locking_status(
    w: &mut State,
    r: DomainUpdateLockingStatus,
) -> Result<DomainUpdateLockingStatusResponse, DomainUpdateLockingStatusError> {
    registrar_check(w, r.domainid, true, registered).map_err(|e| match e {
        RegistrarFailure::NotSupported => {
            DomainUpdateLockingStatusError::InvalidRegistrarConfiguration
        }
        RegistrarFailure::Error => DomainUpdateLockingStatusError::RegistrarError,
    })?;
    let d = w
        .orders
        .domains
        .get_mut(r.domainid)
        .ok_or(DomainUpdateLockingStatusError::DomainIdNotFound)?;
    d.locked = r.lockstatus.unwrap_or(false);
    let (client, locked) = (d.userid, d.locked);
    w.log(
        client,
        format!(
            "Registrar Lock {} - Domain ID: {}",
            if locked { "Enabled" } else { "Disabled" },
            r.domainid
        ),
    );
    Ok(DomainUpdateLockingStatusResponse::default())
}

/// DomainToggleIdProtect: sets ID protection, or flips it when `idprotect` is not given.
fn domain_toggle_id_protect(
    w: &mut State,
    r: DomainToggleIdProtect,
) -> Result<DomainToggleIdProtectResponse, DomainToggleIdProtectError> {
    registrar_check(w, r.domainid, true, registered)
        .map_err(|_| DomainToggleIdProtectError::RegistrarError)?;
    let d = w
        .orders
        .domains
        .get_mut(r.domainid)
        .ok_or(DomainToggleIdProtectError::DomainIdNotFound)?;
    d.idprotection = r.idprotect.unwrap_or(!d.idprotection);
    let (client, on) = (d.userid, d.idprotection);
    w.log(
        client,
        format!(
            "ID Protection {} - Domain ID: {}",
            if on { "Enabled" } else { "Disabled" },
            r.domainid
        ),
    );
    Ok(DomainToggleIdProtectResponse::default())
}

/// DomainRequestEPP: the domain's auth code; a locked domain's registrar refuses.
fn domain_request_epp(
    w: &mut State,
    r: DomainRequestEPP,
) -> Result<DomainRequestEPPResponse, DomainRequestEPPError> {
    registrar_check(w, r.domainid, true, registered)
        .map_err(|_| DomainRequestEPPError::RegistrarError)?;
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(DomainRequestEPPError::DomainIdNotFound)?;
    if d.locked {
        // A locked domain cannot leave: the registrar refuses its code.
        return Err(DomainRequestEPPError::RegistrarError);
    }
    let code = epp_code(r.domainid, &d.domain);
    let client = d.userid;
    w.log(
        client,
        format!("EPP Code Requested - Domain ID: {}", r.domainid),
    );
    Ok(DomainRequestEPPResponse {
        eppcode: Some(code.into()),
        ..Default::default()
    })
}

/// DomainGetWhoisInfo: the contacts at the registrar.
fn domain_get_whois_info(
    w: &State,
    r: DomainGetWhoisInfo,
) -> Result<DomainGetWhoisInfoResponse, DomainGetWhoisInfoError> {
    registrar_check(w, r.domainid, true, registered)
        .map_err(|_| DomainGetWhoisInfoError::RegistrarError)?;
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(DomainGetWhoisInfoError::DomainIdNotFound)?;
    let contacts = whois_contacts(w, d);
    Ok(DomainGetWhoisInfoResponse {
        registrant: contacts.get("Registrant").cloned(),
        admin: contacts.get("Admin").cloned(),
        tech: contacts.get("Tech").cloned(),
        ..Default::default()
    })
}

/// DomainUpdateWhoisInfo: replaces the contact sections the XML gives.
fn domain_update_whois_info(
    w: &mut State,
    r: DomainUpdateWhoisInfo,
) -> Result<DomainUpdateWhoisInfoResponse, DomainUpdateWhoisInfoError> {
    if r.xml.trim().is_empty() {
        return Err(DomainUpdateWhoisInfoError::XmlRequired);
    }
    registrar_check(w, r.domainid, true, registered)
        .map_err(|_| DomainUpdateWhoisInfoError::RegistrarError)?;
    let given = parse_contacts(&r.xml).ok_or(DomainUpdateWhoisInfoError::RegistrarError)?;
    let d = w
        .orders
        .domains
        .get(r.domainid)
        .ok_or(DomainUpdateWhoisInfoError::DomainIdNotFound)?;
    let mut contacts = whois_contacts(w, d);
    for (section, fields) in given {
        contacts.insert(section, fields);
    }
    let Some(d) = w.orders.domains.get_mut(r.domainid) else {
        return Err(DomainUpdateWhoisInfoError::DomainIdNotFound);
    };
    d.whois = Some(contacts);
    let client = d.userid;
    w.log(
        client,
        format!("Domain Contact Details Updated - Domain ID: {}", r.domainid),
    );
    Ok(DomainUpdateWhoisInfoResponse::default())
}

/// Whether `name` is a domain name: dot-separated labels of letters, digits and inner hyphens.
fn valid_domain(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().count() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// DomainWhois: unavailable when a domain of that name is registered (or coming in), else
/// available; the TLD must be one the installation sells.
fn domain_whois(w: &State, r: DomainWhois) -> Result<DomainWhoisResponse, DomainWhoisError> {
    let name = r.domain.trim().to_lowercase();
    if !valid_domain(&name) {
        return Err(DomainWhoisError::DomainNotValid);
    }
    if w.catalogue.tld_of(&name).is_none() {
        return Err(DomainWhoisError::TldNotSupported);
    }
    let held = w.orders.domains.iter().find(|(_, d)| {
        d.domain.eq_ignore_ascii_case(&name)
            && (registered(&d.status) || d.status == DomainStatus::PendingTransfer)
    });
    let (status, whois) = match held {
        Some((_, d)) => (
            WhoisStatus::Unavailable,
            format!(
                "Domain Name: {}\nRegistrar: {}\nCreation Date: {}\nRegistry Expiry Date: {}\nName Server: {}\n",
                name.to_uppercase(),
                modules::known_module("registrar", &d.registrar)
                    .map_or(d.registrar.as_str(), |k| k.display),
                d.regdate,
                d.expirydate.map(|e| e.to_string()).unwrap_or_default(),
                d.nameservers.join("\nName Server: ")
            ),
        ),
        None => (
            WhoisStatus::Available,
            format!("No match for \"{}\".", name.to_uppercase()),
        ),
    };
    Ok(DomainWhoisResponse {
        status: Some(status),
        whois: Some(whois),
        ..Default::default()
    })
}

/// A price list keyed by years, as answers write one.
fn price_map(prices: &BTreeMap<u32, Decimal>) -> whmcs_api::__private::IndexMap<String, Decimal> {
    prices
        .iter()
        .filter(|(_, p)| **p >= Decimal::ZERO)
        .map(|(y, p)| (y.to_string(), money(*p)))
        .collect()
}

/// GetTLDPricing: every TLD's prices, in the installation's one currency (USD).
fn get_tld_pricing(
    w: &State,
    _: GetTLDPricing,
) -> Result<GetTLDPricingResponse, GetTLDPricingError> {
    // The shape of the grace and redemption terms is not documented publicly (the reference's
    // example shows `null`), so the mock sends `null` rather than guess one.
    let period = |_days: i64, _fee: Decimal| None::<Value>;
    let pricing = w
        .catalogue
        .tlds
        .iter()
        .map(|(_, t)| {
            let tld = t.extension.trim_start_matches('.').to_string();
            let row = get_tldpricing::TldPricing {
                tld: Some(tld.clone()),
                categories: t.categories.clone(),
                addons: Some(get_tldpricing::TldAddons {
                    dns: Some(t.dns_management),
                    email: Some(t.email_forwarding),
                    idprotect: Some(t.id_protection),
                    ..Default::default()
                }),
                group: Some(t.group.clone()),
                register: price_map(&t.register),
                transfer: price_map(&t.transfer),
                renew: price_map(&t.renew),
                grace_period: period(t.grace_period_days, t.grace_period_fee),
                redemption_period: period(t.redemption_period_days, t.redemption_period_fee),
                ..Default::default()
            };
            (tld, row)
        })
        .collect();
    Ok(GetTLDPricingResponse {
        currency: Some(whmcs_api::actions::Currency {
            id: Some(super::products::CURRENCY),
            code: Some("USD".into()),
            prefix: Some("$".into()),
            suffix: Some(" USD".into()),
            format: Some(1),
            rate: Some(1.0),
            ..Default::default()
        }),
        pricing,
        ..Default::default()
    })
}

/// Prices keyed by years from CreateOrUpdateTLD, with the longest term allowed.
fn years_prices(
    given: &whmcs_api::__private::IndexMap<String, Decimal>,
    max: u32,
) -> Result<BTreeMap<u32, Decimal>, bool> {
    given
        .iter()
        .map(|(k, v)| {
            let years: u32 = k.trim().parse().map_err(|_| false)?;
            if years == 0 || years > max {
                return Err(true);
            }
            Ok((years, amount(*v)))
        })
        .collect()
}

/// CreateOrUpdateTLD: creates the TLD or updates the one with that extension, checking the
/// registrar, the currency and the terms as WHMCS does.
fn create_or_update_tld(
    w: &mut State,
    r: CreateOrUpdateTLD,
) -> Result<CreateOrUpdateTLDResponse, CreateOrUpdateTLDError> {
    let ext = r.extension.trim().to_lowercase();
    if ext.trim_matches('.').is_empty() {
        return Err(CreateOrUpdateTLDError::ExtensionRequired);
    }
    let extension = format!(".{}", ext.trim_start_matches('.'));
    if let Some(registrar) = r.auto_registrar.as_deref().filter(|s| !s.is_empty()) {
        let active = w.modules.active_names("registrar");
        if active.is_empty() {
            return Err(CreateOrUpdateTLDError::NoActiveRegistrars);
        }
        if !active.iter().any(|a| a.eq_ignore_ascii_case(registrar)) {
            return Err(CreateOrUpdateTLDError::InvalidAutoRegistrar {
                registrars: active.join(", "),
            });
        }
    }
    let priced = !r.register.is_empty()
        || !r.renew.is_empty()
        || !r.transfer.is_empty()
        || r.grace_period_fee.is_some()
        || r.redemption_period_fee.is_some();
    if priced {
        match r.currency_code.as_deref().map(str::trim) {
            None | Some("") => return Err(CreateOrUpdateTLDError::CurrencyCodeRequired),
            Some(code) if !code.eq_ignore_ascii_case("USD") => {
                return Err(CreateOrUpdateTLDError::UnknownCurrencyCode {
                    currencies: "USD".into(),
                });
            }
            Some(_) => {}
        }
    }
    let register = years_prices(&r.register, 10).map_err(|too_long| {
        if too_long {
            CreateOrUpdateTLDError::RegisterPeriodTooLong
        } else {
            CreateOrUpdateTLDError::PricingMustBeArrays
        }
    })?;
    let renew = years_prices(&r.renew, 9).map_err(|too_long| {
        if too_long {
            CreateOrUpdateTLDError::RenewPeriodTooLong
        } else {
            CreateOrUpdateTLDError::PricingMustBeArrays
        }
    })?;
    if r.transfer.len() > 1 {
        return Err(CreateOrUpdateTLDError::TooManyTransferPeriods);
    }
    let transfer = years_prices(&r.transfer, 10).map_err(|too_long| {
        if too_long {
            CreateOrUpdateTLDError::TransferPeriodTooLong
        } else {
            CreateOrUpdateTLDError::PricingMustBeArrays
        }
    })?;
    let existing = w
        .catalogue
        .tlds
        .iter()
        .find(|(_, t)| t.extension.eq_ignore_ascii_case(&extension))
        .map(|(id, _)| id);
    let id = match existing {
        Some(id) => id,
        None => w.catalogue.tlds.insert(Tld {
            extension: extension.clone(),
            grace_period_fee: Decimal::NEGATIVE_ONE,
            redemption_period_fee: Decimal::NEGATIVE_ONE,
            ..Tld::default()
        }),
    };
    let Some(t) = w.catalogue.tlds.get_mut(id) else {
        return Err(CreateOrUpdateTLDError::ExtensionRequired);
    };
    let flag = |field: &mut bool, v: Option<bool>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    flag(&mut t.id_protection, r.id_protection);
    flag(&mut t.dns_management, r.dns_management);
    flag(&mut t.email_forwarding, r.email_forwarding);
    flag(&mut t.epp_required, r.epp_required);
    if let Some(v) = r.auto_registrar {
        t.auto_registrar = v.to_ascii_lowercase();
    }
    if let Some(v) = r.grace_period_days {
        t.grace_period_days = v;
    }
    if let Some(v) = r.grace_period_fee {
        t.grace_period_fee = amount(v);
    }
    if let Some(v) = r.redemption_period_days {
        t.redemption_period_days = v;
    }
    if let Some(v) = r.redemption_period_fee {
        t.redemption_period_fee = amount(v);
    }
    t.register.extend(register);
    t.renew.extend(renew);
    if !transfer.is_empty() {
        t.transfer = transfer;
    }
    if let Some(g) = r.group {
        t.group = g.as_str().to_ascii_lowercase();
    }
    w.log(0, format!("TLD Saved - {extension}"));
    Ok(CreateOrUpdateTLDResponse {
        extension: Some(extension),
        id,
        ..Default::default()
    })
}

/// GetRegistrars: the active registrar modules.
fn get_registrars(
    w: &State,
    _: GetRegistrars,
) -> Result<GetRegistrarsResponse, GetRegistrarsError> {
    // What one entry of the list holds is not documented publicly; the mock lists the active
    // registrar modules by their system names.
    let registrars: Vec<Value> = w
        .modules
        .active_names("registrar")
        .into_iter()
        .map(Value::String)
        .collect();
    Ok(GetRegistrarsResponse {
        registrars: Some(Value::Array(registrars)),
        ..Default::default()
    })
}

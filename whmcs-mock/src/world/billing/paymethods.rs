//! Pay methods: cards and bank accounts stored for a client, stored locally or as a gateway's
//! token. Only the last four digits of a number are kept.

use whmcs_api::actions::billing::get_pay_methods;
use whmcs_api::actions::{
    AddPayMethod, AddPayMethodError, AddPayMethodResponse, DeletePayMethod, DeletePayMethodError,
    DeletePayMethodResponse, GetPayMethods, GetPayMethodsError, GetPayMethodsResponse,
    NewPayMethodType, PayMethodFilter, PayMethodType, UpdateClientError, UpdatePayMethod,
    UpdatePayMethodError, UpdatePayMethodResponse,
};
use whmcs_api::{Date, Secret};

use super::super::State;
use super::super::codec::md5_hex;
use super::super::dates::add_months;
use super::super::registry::Registry;
use super::{GatewayKind, PayMethod};

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddPayMethod>(add_pay_method);
    r.read::<GetPayMethods>(get_pay_methods);
    r.on::<UpdatePayMethod>(update_pay_method);
    r.on::<DeletePayMethod>(delete_pay_method);
}

/// The digits of a number, without spaces or dashes; `None` unless only those were given.
fn digits(text: &str) -> Option<String> {
    let d: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (!d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

fn last_four(digits: &str) -> String {
    digits
        .get(digits.len().saturating_sub(4)..)
        .unwrap_or_default()
        .to_string()
}

/// The brand a card number belongs to, by its leading digits.
fn brand(number: &str) -> &'static str {
    let prefix = |n: usize| number.get(..n).and_then(|p| p.parse::<u32>().ok());
    match (prefix(1), prefix(2), prefix(4)) {
        (Some(4), _, _) => "Visa",
        (_, Some(51..=55), _) | (_, _, Some(2221..=2720)) => "MasterCard",
        (_, Some(34 | 37), _) => "American Express",
        (_, Some(65), _) | (_, _, Some(6011)) => "Discover",
        _ => "Credit Card",
    }
}

/// A card date given as `MMYY` (or `MM/YY`): `(month, year)`.
fn card_date(text: &str) -> Option<(u8, u16)> {
    let t: String = text.chars().filter(|c| *c != '/').collect();
    if t.len() != 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month: u8 = t.get(..2)?.parse().ok()?;
    let year: u16 = t.get(2..)?.parse().ok()?;
    (1..=12).contains(&month).then_some((month, 2000 + year))
}

/// An expiry as stored (`MM/YY`), if it is a valid date not yet past.
fn expiry(text: &str, today: Date) -> Option<String> {
    let (month, year) = card_date(text)?;
    let first = Date::new(year, month, 1)?;
    // Valid through the month's last day.
    (add_months(first, 1) > today).then(|| format!("{month:02}/{:02}", year % 100))
}

/// A start date as stored (`MM/YY`), if it is a valid date not in the future.
fn start(text: &str, today: Date) -> Option<String> {
    let (month, year) = card_date(text)?;
    (Date::new(year, month, 1)? <= today).then(|| format!("{month:02}/{:02}", year % 100))
}

/// The active gateways' system names, as AddPayMethod lists them.
fn gateway_names(w: &State) -> String {
    w.billing
        .gateways
        .iter()
        .map(|g| g.module.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Makes `id` the only default among its client's methods.
fn make_default(w: &mut State, client: i64, id: i64) {
    for (pid, p) in w.billing.paymethods.iter_mut() {
        if p.clientid == client {
            p.default = pid == id;
        }
    }
}

fn add_pay_method(
    w: &mut State,
    r: AddPayMethod,
) -> Result<AddPayMethodResponse, AddPayMethodError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(AddPayMethodError::InvalidClientId);
    }
    let today = w.today();
    let kind = r.pay_method_type.unwrap_or(NewPayMethodType::CreditCard);
    let gateway = match r.gateway_module_name.as_deref().filter(|g| !g.is_empty()) {
        Some(name) => Some(w.billing.gateway(name).cloned().ok_or_else(|| {
            AddPayMethodError::InvalidGatewayModuleName {
                gateways: gateway_names(w),
            }
        })?),
        None => None,
    };
    let now = w.now;
    let n = w.billing.paymethods.len();
    let token = |module: &str| md5_hex(&format!("token:{module}:{}:{n}:{now}", r.clientid));
    let mut pm = PayMethod {
        clientid: r.clientid,
        kind: PayMethodType::CreditCard,
        description: r.description.clone().unwrap_or_default(),
        gateway: String::new(),
        card_last_four: String::new(),
        card_type: String::new(),
        expiry: String::new(),
        start: String::new(),
        issue: String::new(),
        bank_name: r.bank_name.clone().unwrap_or_default(),
        bank_account_type: r.bank_account_type.clone().unwrap_or_default(),
        bank_code_last_four: String::new(),
        account_last_four: String::new(),
        remote_token: String::new(),
        last_updated: now,
        default: false,
    };
    match kind {
        NewPayMethodType::CreditCard | NewPayMethodType::RemoteCreditCard => {
            let remote = kind == NewPayMethodType::RemoteCreditCard;
            match (&gateway, remote) {
                (None, true) => return Err(AddPayMethodError::RemoteCardNeedsGateway),
                (None, false)
                    if !w
                        .billing
                        .gateways
                        .iter()
                        .any(|g| g.kind == GatewayKind::LocalCard) =>
                {
                    return Err(AddPayMethodError::NoLocalCardGateway);
                }
                (Some(g), true) if g.kind != GatewayKind::RemoteCard => {
                    return Err(AddPayMethodError::UnsupportedGatewayType);
                }
                (Some(g), false)
                    if !matches!(g.kind, GatewayKind::LocalCard | GatewayKind::RemoteCard) =>
                {
                    return Err(AddPayMethodError::UnsupportedGatewayType);
                }
                _ => {}
            }
            let number = r
                .card_number
                .as_ref()
                .and_then(|n| digits(n.expose()))
                .ok_or(AddPayMethodError::CardNumberRequired)?;
            let exp = r
                .card_expiry
                .as_deref()
                .filter(|e| !e.is_empty())
                .ok_or(AddPayMethodError::ExpiryDateRequired)?;
            pm.expiry = expiry(exp, today).ok_or(AddPayMethodError::ExpiryDateInvalid)?;
            if let Some(s) = r.card_start.as_deref().filter(|s| !s.is_empty()) {
                pm.start = start(s, today).ok_or(AddPayMethodError::StartDateInvalid)?;
            }
            if let Some(issue) = r.card_issue_number {
                if !(0..100).contains(&issue) {
                    return Err(AddPayMethodError::IssueNumberInvalid);
                }
                pm.issue = issue.to_string();
            }
            pm.card_last_four = last_four(&number);
            pm.card_type = brand(&number).to_string();
            match gateway.filter(|g| g.kind == GatewayKind::RemoteCard) {
                Some(g) => {
                    pm.kind = PayMethodType::RemoteCreditCard;
                    pm.remote_token = token(&g.module);
                    pm.gateway = g.module;
                }
                None => pm.kind = PayMethodType::CreditCard,
            }
        }
        NewPayMethodType::BankAccount => {
            if let Some(g) = &gateway
                && g.kind != GatewayKind::RemoteBank
            {
                return Err(AddPayMethodError::UnsupportedGatewayType);
            }
            let code = r
                .bank_code
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .ok_or(AddPayMethodError::RoutingNumberRequired)?;
            let account = r
                .bank_account
                .as_ref()
                .map(|a| a.expose().trim().to_string())
                .filter(|a| !a.is_empty())
                .ok_or(AddPayMethodError::AccountNumberRequired)?;
            pm.bank_code_last_four = last_four(code.trim());
            pm.account_last_four = last_four(&account);
            match gateway {
                Some(g) => {
                    pm.kind = PayMethodType::RemoteBankAccount;
                    pm.remote_token = token(&g.module);
                    pm.gateway = g.module;
                }
                None => pm.kind = PayMethodType::BankAccount,
            }
        }
        _ => return Err(AddPayMethodError::InvalidPayMethodType),
    }
    let first = !w
        .billing
        .paymethods
        .iter()
        .any(|(_, p)| p.clientid == r.clientid);
    let id = w.billing.paymethods.insert(pm);
    if first || r.set_as_default.unwrap_or(false) {
        make_default(w, r.clientid, id);
    }
    w.log(
        r.clientid,
        format!(
            "Pay Method Added - Pay Method ID: {id} - User ID: {}",
            r.clientid
        ),
    );
    Ok(AddPayMethodResponse {
        clientid: Some(r.clientid),
        paymethodid: id,
        ..Default::default()
    })
}

/// The client's methods, default first.
fn methods_of(w: &State, client: i64) -> Vec<(i64, &PayMethod)> {
    let mut rows: Vec<(i64, &PayMethod)> = w
        .billing
        .paymethods
        .iter()
        .filter(|(_, p)| p.clientid == client)
        .collect();
    rows.sort_by_key(|(id, p)| (!p.default, *id));
    rows
}

fn get_pay_methods(
    w: &State,
    r: GetPayMethods,
) -> Result<GetPayMethodsResponse, GetPayMethodsError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(GetPayMethodsError::ClientNotFound);
    }
    let paymethods = methods_of(w, r.clientid)
        .into_iter()
        .filter(|(id, p)| {
            r.paymethodid.is_none_or(|x| x == *id)
                && match &r.pay_method_type {
                    None => true,
                    Some(PayMethodFilter::CreditCard) => p.is_card(),
                    Some(_) => !p.is_card(),
                }
        })
        .map(|(id, p)| {
            let d = p.last_updated.date();
            let (h, m, _) = p.last_updated.time();
            let card = p.is_card();
            get_pay_methods::PayMethod {
                id: Some(id),
                pay_method_type: Some(p.kind.clone()),
                description: Some(p.description.clone()),
                gateway_name: Some(p.gateway.clone()),
                contact_type: Some("Client".into()),
                contact_id: Some(p.clientid),
                card_last_four: card.then(|| p.card_last_four.clone()),
                expiry_date: card.then(|| p.expiry.clone()),
                start_date: card.then(|| p.start.clone()),
                issue_number: card.then(|| p.issue.clone()),
                card_type: card.then(|| p.card_type.clone()),
                bank_name: (!card).then(|| p.bank_name.clone()),
                remote_token: Some(Secret::new(p.remote_token.clone())),
                last_updated: Some(format!(
                    "{:02}/{:02}/{} {h:02}:{m:02}",
                    d.day(),
                    d.month(),
                    d.year()
                )),
                ..Default::default()
            }
        })
        .collect();
    Ok(GetPayMethodsResponse {
        clientid: Some(r.clientid),
        paymethods,
        ..Default::default()
    })
}

fn update_pay_method(
    w: &mut State,
    r: UpdatePayMethod,
) -> Result<UpdatePayMethodResponse, UpdatePayMethodError> {
    let today = w.today();
    let now = w.now;
    let pm = w
        .billing
        .paymethods
        .get(r.paymethodid)
        .ok_or(UpdatePayMethodError::InvalidPayMethodId)?;
    if pm.clientid != r.clientid {
        return Err(UpdatePayMethodError::PayMethodNotClients);
    }
    let mut next = pm.clone();
    let mut changed = false;
    if pm.is_card() {
        if let Some(number) = &r.card_number {
            if pm.kind == PayMethodType::RemoteCreditCard {
                return Err(UpdatePayMethodError::CardNumberLockedByGateway);
            }
            if let Some(d) = digits(number.expose()) {
                next.card_last_four = last_four(&d);
                next.card_type = brand(&d).to_string();
                changed = true;
            }
        }
        if let Some(e) = &r.card_expiry {
            next.expiry = expiry(e, today).ok_or(UpdatePayMethodError::ExpiryDateInvalid)?;
            changed = true;
        }
        if let Some(s) = &r.card_start {
            next.start = start(s, today).ok_or(UpdatePayMethodError::StartDateInvalid)?;
            changed = true;
        }
        if let Some(issue) = r.card_issue_number {
            if !(0..100).contains(&issue) {
                return Err(UpdatePayMethodError::IssueNumberInvalid);
            }
            next.issue = issue.to_string();
            changed = true;
        }
    } else {
        if pm.kind == PayMethodType::RemoteBankAccount {
            return Err(UpdatePayMethodError::UnsupportedGatewayType);
        }
        let mut set = |field: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *field = v;
                changed = true;
            }
        };
        set(&mut next.bank_name, r.bank_name);
        set(&mut next.bank_account_type, r.bank_account_type);
        set(
            &mut next.bank_code_last_four,
            r.bank_code.map(|c| last_four(c.trim())),
        );
        set(
            &mut next.account_last_four,
            r.bank_account.map(|a| last_four(a.expose().trim())),
        );
    }
    let default = r.set_as_default.unwrap_or(false);
    if !changed && !default {
        return Err(UpdatePayMethodError::NothingToUpdate);
    }
    next.last_updated = now;
    if let Some(slot) = w.billing.paymethods.get_mut(r.paymethodid) {
        *slot = next;
    }
    if default {
        make_default(w, r.clientid, r.paymethodid);
    }
    w.log(
        r.clientid,
        format!("Pay Method Updated - Pay Method ID: {}", r.paymethodid),
    );
    Ok(UpdatePayMethodResponse {
        clientid: Some(r.clientid),
        paymethodid: Some(r.paymethodid),
        ..Default::default()
    })
}

fn delete_pay_method(
    w: &mut State,
    r: DeletePayMethod,
) -> Result<DeletePayMethodResponse, DeletePayMethodError> {
    let pm = w
        .billing
        .paymethods
        .get(r.paymethodid)
        .ok_or(DeletePayMethodError::InvalidPayMethodId)?;
    if pm.clientid != r.clientid {
        return Err(DeletePayMethodError::PayMethodNotClients);
    }
    let was_default = pm.default;
    w.billing.paymethods.remove(r.paymethodid);
    for (_, i) in w.billing.invoices.iter_mut() {
        if i.paymethodid == r.paymethodid {
            i.paymethodid = 0;
        }
    }
    if was_default && let Some((next, _)) = methods_of(w, r.clientid).first().copied() {
        make_default(w, r.clientid, next);
    }
    w.log(
        r.clientid,
        format!("Pay Method Deleted - Pay Method ID: {}", r.paymethodid),
    );
    Ok(DeletePayMethodResponse {
        paymethodid: Some(r.paymethodid),
        ..Default::default()
    })
}

/// The card CapturePayment charges for `client`: `chosen` if set and a card, else the
/// client's default card; with the gateway that takes the payment. `None` when there is no
/// usable (unexpired) card.
pub(crate) fn chargeable_card(w: &State, client: i64, chosen: i64) -> Option<(i64, String)> {
    let today = w.today();
    let usable = |p: &PayMethod| {
        p.clientid == client
            && p.is_card()
            && card_date(&p.expiry).is_some_and(|(m, y)| {
                Date::new(y, m, 1).is_some_and(|first| add_months(first, 1) > today)
            })
    };
    let pick = w
        .billing
        .paymethods
        .get(chosen)
        .filter(|p| usable(p))
        .map(|p| (chosen, p))
        .or_else(|| methods_of(w, client).into_iter().find(|(_, p)| usable(p)))?;
    let gateway = if pick.1.gateway.is_empty() {
        w.billing
            .gateways
            .iter()
            .find(|g| g.kind == GatewayKind::LocalCard)?
            .module
            .clone()
    } else {
        pick.1.gateway.clone()
    };
    Some((pick.0, gateway))
}

/// Card details given to UpdateClient the pre-7.8 way.
pub(crate) struct LegacyCard {
    pub(crate) number: Option<String>,
    pub(crate) expiry: Option<String>,
    pub(crate) brand: Option<String>,
}

/// Bank details given to UpdateClient the pre-7.8 way.
pub(crate) struct LegacyBank {
    pub(crate) code: Option<String>,
    pub(crate) account: Option<String>,
}

/// UpdateClient's card and bank parameters, applied to the client's one local card or bank
/// account (created if there is none): refused when there are several to choose from.
pub(crate) fn legacy_update(
    w: &mut State,
    client: i64,
    card: Option<LegacyCard>,
    bank: Option<LegacyBank>,
    clear_card: bool,
) -> Result<(), UpdateClientError> {
    let local = |w: &State, kind: PayMethodType| -> Vec<i64> {
        w.billing
            .paymethods
            .iter()
            .filter(|(_, p)| p.clientid == client && p.kind == kind)
            .map(|(id, _)| id)
            .collect()
    };
    let cards = local(w, PayMethodType::CreditCard);
    let banks = local(w, PayMethodType::BankAccount);
    if card.is_some() && cards.len() > 1 {
        return Err(UpdateClientError::MultipleCardPayMethods);
    }
    if bank.is_some() && banks.len() > 1 {
        return Err(UpdateClientError::MultipleBankPayMethods);
    }
    let now = w.now;
    let blank = |kind: PayMethodType| PayMethod {
        clientid: client,
        kind,
        description: String::new(),
        gateway: String::new(),
        card_last_four: String::new(),
        card_type: String::new(),
        expiry: String::new(),
        start: String::new(),
        issue: String::new(),
        bank_name: String::new(),
        bank_account_type: String::new(),
        bank_code_last_four: String::new(),
        account_last_four: String::new(),
        remote_token: String::new(),
        last_updated: now,
        default: false,
    };
    if clear_card {
        w.billing.paymethods.retain(|id, _| !cards.contains(&id));
    } else if let Some(card) = card {
        let mut pm = cards
            .first()
            .and_then(|id| w.billing.paymethods.get(*id).cloned())
            .unwrap_or_else(|| blank(PayMethodType::CreditCard));
        if let Some(d) = card.number.as_deref().and_then(digits) {
            pm.card_last_four = last_four(&d);
            pm.card_type = brand(&d).to_string();
        }
        if let Some(b) = card.brand {
            pm.card_type = b;
        }
        if let Some(e) = card.expiry.as_deref().and_then(card_date) {
            pm.expiry = format!("{:02}/{:02}", e.0, e.1 % 100);
        }
        pm.last_updated = now;
        save(w, client, cards.first().copied(), pm);
    }
    if let Some(bank) = bank {
        let mut pm = banks
            .first()
            .and_then(|id| w.billing.paymethods.get(*id).cloned())
            .unwrap_or_else(|| blank(PayMethodType::BankAccount));
        if let Some(c) = bank.code {
            pm.bank_code_last_four = last_four(c.trim());
        }
        if let Some(a) = bank.account {
            pm.account_last_four = last_four(a.trim());
        }
        pm.last_updated = now;
        save(w, client, banks.first().copied(), pm);
    }
    Ok(())
}

/// Stores `pm` over method `id`, or as a new method (the default if it is the client's first).
fn save(w: &mut State, client: i64, id: Option<i64>, pm: PayMethod) {
    match id.and_then(|id| w.billing.paymethods.get_mut(id)) {
        Some(slot) => *slot = pm,
        None => {
            let first = !w
                .billing
                .paymethods
                .iter()
                .any(|(_, p)| p.clientid == client);
            let id = w.billing.paymethods.insert(pm);
            if first {
                make_default(w, client, id);
            }
        }
    }
}

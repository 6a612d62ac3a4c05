//! Client accounts, their contacts, notes and groups. The users that log in to them live in the
//! same tables (`users`, `invites`, `sso_tokens`); their rules are in `users.rs`. A client's
//! custom field values are kept on it; the fields are defined in the catalogue (`fields.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use whmcs_api::actions::client::{
    get_client_groups, get_clients, get_clients_details, get_contacts,
};
use whmcs_api::actions::{
    AddClient, AddClientError, AddClientNote, AddClientNoteError, AddClientNoteResponse,
    AddClientResponse, AddContact, AddContactError, AddContactResponse, ClientStatus, CloseClient,
    CloseClientError, CloseClientResponse, DeleteClient, DeleteClientError, DeleteClientResponse,
    DeleteContact, DeleteContactError, DeleteContactResponse, EmailPreferences, GetClientGroups,
    GetClientGroupsError, GetClientGroupsResponse, GetClients, GetClientsDetails,
    GetClientsDetailsError, GetClientsDetailsResponse, GetClientsError, GetClientsOrderby,
    GetClientsResponse, GetContacts, GetContactsError, GetContactsResponse, SortOrder,
    UpdateClient, UpdateClientError, UpdateClientResponse, UpdateContact, UpdateContactError,
    UpdateContactResponse,
};
use whmcs_api::{Date, DateTime, Decimal};

use super::codec::valid_email;
use super::fields;
use super::registry::Registry;
use super::users::{self, Invite, SsoToken, User};
use super::{State, Table, page};

/// The client tables, with the users that log in to them.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Clients {
    pub(crate) clients: Table<Client>,
    pub(crate) users: Table<User>,
    pub(crate) contacts: Table<Contact>,
    /// Staff notes on client accounts (AddClientNote).
    pub(crate) notes: Table<Note>,
    /// Client groups; a fresh installation has none.
    pub(crate) groups: Table<Group>,
    /// Invitations to manage an account, waiting for the invitee.
    pub(crate) invites: Table<Invite>,
    /// Single sign-on tokens issued (CreateSsoToken).
    pub(crate) sso_tokens: Table<SsoToken>,
}

/// A client account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Client {
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) companyname: String,
    pub(crate) email: String,
    pub(crate) address1: String,
    pub(crate) address2: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) postcode: String,
    pub(crate) country: String,
    pub(crate) phonenumber: String,
    pub(crate) status: ClientStatus,
    pub(crate) datecreated: Date,
    pub(crate) groupid: i64,
    pub(crate) currency: i64,
    pub(crate) language: String,
    pub(crate) notes: String,
    /// The credit balance: kept equal to the sum of the client's credit log
    /// (`billing.credits`), so change it only through `billing::change_credit`.
    pub(crate) credit: Decimal,
    /// The user that owns the account.
    pub(crate) owner_user_id: i64,
    #[serde(default)]
    pub(crate) tax_id: String,
    /// Which kinds of email the client receives.
    #[serde(default)]
    pub(crate) email_preferences: Prefs,
    /// The preferred payment gateway (empty for the default).
    #[serde(default)]
    pub(crate) defaultgateway: String,
    #[serde(default)]
    pub(crate) marketing_optin: bool,
    #[serde(default)]
    pub(crate) flags: ClientFlags,
    /// Whether single sign-on is allowed for the account.
    #[serde(default = "yes")]
    pub(crate) allow_sso: bool,
    /// The last login of one of its users.
    #[serde(default)]
    pub(crate) lastlogin: Option<DateTime>,
    /// The contact invoices are addressed to (0 for the client itself).
    #[serde(default)]
    pub(crate) billingcid: i64,
    /// Values of the client custom fields, by field id.
    #[serde(default)]
    pub(crate) customfields: BTreeMap<i64, String>,
}

/// `true`, for fields that default to on.
fn yes() -> bool {
    true
}

/// The per-account switches UpdateClient sets.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct ClientFlags {
    pub(crate) taxexempt: bool,
    pub(crate) latefeeoveride: bool,
    pub(crate) overideduenotices: bool,
    pub(crate) separateinvoices: bool,
    pub(crate) disableautocc: bool,
    pub(crate) overrideautoclose: bool,
}

/// Which kinds of email a client or contact receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Prefs {
    pub(crate) general: bool,
    pub(crate) invoice: bool,
    pub(crate) support: bool,
    pub(crate) product: bool,
    pub(crate) domain: bool,
    pub(crate) affiliate: bool,
}

impl Default for Prefs {
    /// A client receives every kind of email until told otherwise.
    fn default() -> Self {
        Self::all(true)
    }
}

impl Prefs {
    fn all(on: bool) -> Self {
        Self {
            general: on,
            invoice: on,
            support: on,
            product: on,
            domain: on,
            affiliate: on,
        }
    }

    /// Sets the kinds `p` names, leaving the others.
    fn apply(&mut self, p: &EmailPreferences) {
        let set = |field: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                *field = v;
            }
        };
        set(&mut self.general, p.general);
        set(&mut self.invoice, p.invoice);
        set(&mut self.support, p.support);
        set(&mut self.product, p.product);
        set(&mut self.domain, p.domain);
        set(&mut self.affiliate, p.affiliate);
    }

    fn answer(&self) -> EmailPreferences {
        EmailPreferences {
            general: Some(self.general),
            invoice: Some(self.invoice),
            support: Some(self.support),
            product: Some(self.product),
            domain: Some(self.domain),
            affiliate: Some(self.affiliate),
            ..Default::default()
        }
    }
}

impl Client {
    /// An active account in the default currency, every other field empty.
    pub(crate) fn new(
        firstname: String,
        lastname: String,
        email: String,
        datecreated: Date,
        owner_user_id: i64,
    ) -> Self {
        Self {
            firstname,
            lastname,
            companyname: String::new(),
            email,
            address1: String::new(),
            address2: String::new(),
            city: String::new(),
            state: String::new(),
            postcode: String::new(),
            country: String::new(),
            phonenumber: String::new(),
            status: ClientStatus::Active,
            datecreated,
            groupid: 0,
            currency: 1,
            language: String::new(),
            notes: String::new(),
            credit: Decimal::ZERO,
            owner_user_id,
            tax_id: String::new(),
            email_preferences: Prefs::default(),
            defaultgateway: String::new(),
            marketing_optin: false,
            flags: ClientFlags::default(),
            allow_sso: true,
            lastlogin: None,
            billingcid: 0,
            customfields: BTreeMap::new(),
        }
    }

    pub(crate) fn fullname(&self) -> String {
        format!("{} {}", self.firstname, self.lastname)
    }
}

/// A contact on a client account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Contact {
    /// The client it belongs to.
    pub(crate) userid: i64,
    pub(crate) firstname: String,
    pub(crate) lastname: String,
    pub(crate) companyname: String,
    pub(crate) email: String,
    pub(crate) address1: String,
    pub(crate) address2: String,
    pub(crate) city: String,
    pub(crate) state: String,
    pub(crate) postcode: String,
    pub(crate) country: String,
    pub(crate) phonenumber: String,
    pub(crate) tax_id: String,
    /// A contact receives no email until opted in.
    pub(crate) email_preferences: Prefs,
    pub(crate) created_at: DateTime,
    pub(crate) updated_at: DateTime,
}

/// A staff note on a client account.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Note {
    pub(crate) userid: i64,
    pub(crate) note: String,
    /// Shown throughout the account and on its tickets.
    pub(crate) sticky: bool,
    pub(crate) created: DateTime,
    pub(crate) modified: DateTime,
}

/// A client group.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Group {
    pub(crate) groupname: String,
    pub(crate) groupcolour: String,
    pub(crate) discountpercent: Decimal,
    pub(crate) susptermexempt: bool,
    pub(crate) separateinvoices: bool,
}

impl Clients {
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "client" => Some(self.clients.contains(id)),
            "user" => Some(self.users.contains(id)),
            "contact" => Some(self.contacts.contains(id)),
            "client_group" => Some(self.groups.contains(id)),
            _ => None,
        }
    }

    /// The client with this email address (any case).
    pub(crate) fn by_email(&self, email: &str) -> Option<(i64, &Client)> {
        self.clients
            .iter()
            .find(|(_, c)| c.email.eq_ignore_ascii_case(email))
    }

    /// Whether `email` is taken by a client or a contact, other than `except` (a client id,
    /// or a contact id when `contact`).
    fn email_taken(&self, email: &str, except: Option<(bool, i64)>) -> bool {
        self.clients
            .iter()
            .any(|(id, c)| except != Some((false, id)) && c.email.eq_ignore_ascii_case(email))
            || self
                .contacts
                .iter()
                .any(|(id, c)| except != Some((true, id)) && c.email.eq_ignore_ascii_case(email))
    }

    /// Whether anyone on client `client` other than contact `except` still receives domain
    /// email, as ICANN requires.
    fn domain_recipient(&self, client: i64, except: Option<i64>, client_prefs: Prefs) -> bool {
        client_prefs.domain
            || self.contacts.iter().any(|(id, c)| {
                c.userid == client && Some(id) != except && c.email_preferences.domain
            })
    }
}

pub(crate) fn register(r: &mut Registry) {
    r.on::<AddClient>(add_client);
    r.read::<GetClients>(get_clients);
    r.read::<GetClientsDetails>(get_clients_details);
    r.on::<UpdateClient>(update_client);
    r.on::<DeleteClient>(delete_client);
    r.on::<CloseClient>(close_client);
    r.on::<AddContact>(add_contact);
    r.read::<GetContacts>(get_contacts);
    r.on::<UpdateContact>(update_contact);
    r.on::<DeleteContact>(delete_contact);
    r.on::<AddClientNote>(add_client_note);
    r.read::<GetClientGroups>(get_client_groups);
}

fn add_client(w: &mut State, r: AddClient) -> Result<AddClientResponse, AddClientError> {
    if !valid_email(&r.email) {
        return Err(AddClientError::EmailInvalid);
    }
    let country = r.country.trim();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(AddClientError::ValidCountryRequired);
    }
    let user_taken = w
        .clients
        .users
        .iter()
        .any(|(_, u)| u.email.eq_ignore_ascii_case(&r.email));
    let client_taken = w.clients.by_email(&r.email).is_some();
    let customfields =
        fields::custom_values(&w.catalogue.customfields, None, r.customfields.as_ref());
    // The field's name after the documented text is unverified (see the spec).
    if !r.skipvalidation.unwrap_or(false)
        && let Some(f) = fields::missing_required(&w.catalogue.customfields, &customfields)
    {
        return Err(AddClientError::RequiredCustomFieldMissing {
            field: f.name.clone(),
        });
    }
    let owner = match r.owner_user_id {
        Some(id) if !w.clients.users.contains(id) => {
            return Err(AddClientError::InvalidOwnerUserId);
        }
        Some(_) if client_taken => return Err(AddClientError::EmailNotAvailable),
        Some(id) => id,
        None if user_taken || client_taken => return Err(AddClientError::UserEmailExists),
        None => users::new_user(
            w,
            &r.firstname,
            &r.lastname,
            &r.email,
            r.password2.as_ref().map(|p| p.expose()),
            r.language.as_deref().unwrap_or_default(),
        ),
    };
    let currency = r
        .currency
        .filter(|c| w.billing.currencies.contains(*c))
        .unwrap_or(1);
    let today = w.today();
    let mut c = Client::new(r.firstname, r.lastname, r.email, today, owner);
    c.companyname = r.companyname.unwrap_or_default();
    c.address1 = r.address1;
    c.address2 = r.address2.unwrap_or_default();
    c.city = r.city;
    c.state = r.state;
    c.postcode = r.postcode;
    c.country = country.to_ascii_uppercase();
    c.phonenumber = r.phonenumber;
    c.groupid = r.groupid.unwrap_or(0);
    c.currency = currency;
    c.language = r.language.unwrap_or_default();
    c.notes = r.notes.unwrap_or_default();
    c.tax_id = r.tax_id.unwrap_or_default();
    c.marketing_optin = r.marketingoptin.unwrap_or(false);
    c.customfields = customfields;
    let id = w.clients.clients.insert(c);
    if let Some(u) = w.clients.users.get_mut(owner)
        && !u.clients.contains(&id)
    {
        u.clients.push(id);
    }
    w.log(id, format!("Client Created - Client ID: {id}"));
    if !r.noemail.unwrap_or(false) {
        // The template WHMCS sends here (its signup welcome) is unverified against the reference.
        super::mail::send_template(w, "Client Signup Email", id);
    }
    Ok(AddClientResponse {
        clientid: id,
        ..Default::default()
    })
}

/// Text to sort and search on, in any case.
fn folded(s: &str) -> String {
    s.to_lowercase()
}

fn get_clients(w: &State, r: GetClients) -> Result<GetClientsResponse, GetClientsError> {
    let search = r.search.as_deref().map(folded).filter(|s| !s.is_empty());
    let mut rows: Vec<(i64, &Client)> = w
        .clients
        .clients
        .iter()
        .filter(|(_, c)| r.status.as_ref().is_none_or(|s| *s == c.status))
        .filter(|(_, c)| {
            search.as_ref().is_none_or(|s| {
                [
                    &c.firstname,
                    &c.lastname,
                    &c.fullname(),
                    &c.companyname,
                    &c.email,
                ]
                .iter()
                .any(|f| folded(f).starts_with(s.as_str()))
            })
        })
        .collect();
    // WHMCS lists clients by first name unless told otherwise.
    let key = |id: i64, c: &Client| -> (String, i64) {
        let text = match r.orderby.as_ref() {
            Some(GetClientsOrderby::Id) => String::new(),
            Some(GetClientsOrderby::Lastname) => folded(&c.lastname),
            Some(GetClientsOrderby::Companyname) => folded(&c.companyname),
            Some(GetClientsOrderby::Email) => folded(&c.email),
            Some(GetClientsOrderby::Groupid) => format!("{:020}", c.groupid),
            Some(GetClientsOrderby::Datecreated) => c.datecreated.to_string(),
            Some(GetClientsOrderby::Status) => c.status.to_string(),
            _ => folded(&c.firstname),
        };
        (text, id)
    };
    rows.sort_by_cached_key(|(id, c)| key(*id, c));
    if r.sorting == Some(SortOrder::Desc) {
        rows.reverse();
    }
    let rows: Vec<get_clients::ClientSummary> = rows
        .into_iter()
        .map(|(id, c)| get_clients::ClientSummary {
            id: Some(id),
            firstname: Some(c.firstname.clone()),
            lastname: Some(c.lastname.clone()),
            companyname: Some(c.companyname.clone()),
            email: Some(c.email.clone()),
            datecreated: Some(c.datecreated),
            groupid: Some(c.groupid),
            status: Some(c.status.clone()),
            ..Default::default()
        })
        .collect();
    let (total, start, clients) = page(rows, r.limitstart, r.limitnum);
    Ok(GetClientsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(clients.len() as i64),
        clients,
        ..Default::default()
    })
}

/// The last login as GetClientsDetails shows it.
fn lastlogin_text(at: Option<DateTime>) -> String {
    match at {
        None => "No Login Logged".into(),
        Some(at) => {
            let d = at.date();
            let (h, m, _) = at.time();
            format!(
                "Date: {:02}/{:02}/{} {h:02}:{m:02}<br>IP Address: 127.0.0.1<br>Host: localhost",
                d.day(),
                d.month(),
                d.year()
            )
        }
    }
}

fn get_clients_details(
    w: &State,
    r: GetClientsDetails,
) -> Result<GetClientsDetailsResponse, GetClientsDetailsError> {
    let found = match (r.clientid, r.email.as_deref()) {
        (Some(id), _) => w.clients.clients.get(id).map(|c| (id, c)),
        (None, Some(email)) => w.clients.by_email(email),
        (None, None) => None,
    };
    let (id, c) = found.ok_or(GetClientsDetailsError::ClientNotFound)?;
    let users = w
        .clients
        .users
        .iter()
        .filter(|(_, u)| u.clients.contains(&id))
        .map(|(uid, u)| get_clients_details::ClientUser {
            id: Some(uid),
            name: Some(format!("{} {}", u.firstname, u.lastname)),
            email: Some(u.email.clone()),
            is_owner: Some(uid == c.owner_user_id),
            ..Default::default()
        })
        .collect();
    let phone = format!("+{}", c.phonenumber.trim_start_matches('+'));
    // Every client field, with the client's value or none. `customfieldsN` numbers them from 1
    // in that order (the reference's example has field 1 as `customfields1`; that N is the
    // position rather than the field id is unverified).
    let values: Vec<(i64, String)> = fields::fields_of(&w.catalogue.customfields, None)
        .map(|(fid, _)| (fid, c.customfields.get(&fid).cloned().unwrap_or_default()))
        .collect();
    let customfields: Vec<get_clients_details::ClientCustomField> = values
        .iter()
        .map(|(fid, v)| get_clients_details::ClientCustomField {
            id: Some(*fid),
            value: Some(v.clone()),
            ..Default::default()
        })
        .collect();
    let numbered: BTreeMap<u32, String> =
        (1..).zip(values.iter().map(|(_, v)| v.clone())).collect();
    let client = get_clients_details::Client {
        client_id: Some(id),
        userid: Some(id),
        id: Some(id),
        owner_user_id: Some(c.owner_user_id),
        firstname: Some(c.firstname.clone()),
        lastname: Some(c.lastname.clone()),
        fullname: Some(c.fullname()),
        companyname: Some(c.companyname.clone()),
        email: Some(c.email.clone()),
        address1: Some(c.address1.clone()),
        address2: Some(c.address2.clone()),
        city: Some(c.city.clone()),
        fullstate: Some(c.state.clone()),
        state: Some(c.state.clone()),
        statecode: Some(c.state.clone()),
        postcode: Some(c.postcode.clone()),
        countrycode: Some(c.country.clone()),
        country: Some(c.country.clone()),
        phonenumber: Some(c.phonenumber.clone()),
        phonenumberformatted: Some(phone.clone()),
        telephone_number: Some(phone),
        tax_id: Some(c.tax_id.clone()),
        email_preferences: Some(c.email_preferences.answer()),
        billingcid: Some(c.billingcid),
        notes: Some(c.notes.clone()),
        currency: Some(c.currency),
        currency_code: w.billing.currencies.get(c.currency).map(|x| x.code.clone()),
        defaultgateway: Some(c.defaultgateway.clone()),
        groupid: Some(c.groupid),
        status: Some(c.status.clone()),
        credit: Some(c.credit),
        taxexempt: Some(c.flags.taxexempt),
        latefeeoveride: Some(c.flags.latefeeoveride),
        overideduenotices: Some(c.flags.overideduenotices),
        separateinvoices: Some(c.flags.separateinvoices),
        disableautocc: Some(c.flags.disableautocc),
        overrideautoclose: Some(c.flags.overrideautoclose),
        emailoptout: Some(false),
        marketing_emails_opt_in: Some(c.marketing_optin),
        is_opted_in_to_marketing_emails: Some(c.marketing_optin),
        allow_single_sign_on: Some(c.allow_sso),
        email_verified: Some(false),
        language: Some(c.language.clone()),
        lastlogin: Some(lastlogin_text(c.lastlogin)),
        customfields: customfields.clone(),
        customfield_values: numbered.clone(),
        users,
        ..Default::default()
    };
    // The legacy top-level copy of the client's record carries the custom fields too, as the
    // spec describes it.
    #[allow(deprecated)]
    Ok(GetClientsDetailsResponse {
        client: Some(client),
        customfields,
        customfield_values: numbered,
        stats: r
            .stats
            .unwrap_or(false)
            .then(|| super::billing::client_stats(w, id)),
        ..Default::default()
    })
}

fn update_client(
    w: &mut State,
    r: UpdateClient,
) -> Result<UpdateClientResponse, UpdateClientError> {
    let found = match (r.clientid, r.clientemail.as_deref()) {
        (Some(id), _) => w.clients.clients.contains(id).then_some(id),
        (None, Some(email)) => w.clients.by_email(email).map(|(id, _)| id),
        (None, None) => None,
    };
    let id = found.ok_or(UpdateClientError::ClientNotFound)?;
    if let Some(email) = &r.email {
        if !valid_email(email) {
            return Err(UpdateClientError::InvalidEmailAddress);
        }
        if w.clients.email_taken(email, Some((false, id))) {
            return Err(UpdateClientError::DuplicateEmailAddress);
        }
    }
    let mut prefs = w
        .clients
        .clients
        .get(id)
        .map(|c| c.email_preferences)
        .unwrap_or_default();
    if let Some(p) = &r.email_preferences {
        prefs.apply(p);
        if !w.clients.domain_recipient(id, None, prefs) {
            return Err(UpdateClientError::DomainNotificationRecipientRequired);
        }
    }
    #[allow(deprecated)]
    let card = (r.cardnum.is_some() || r.expdate.is_some() || r.cardtype.is_some()).then(|| {
        super::billing::paymethods::LegacyCard {
            number: r.cardnum.as_ref().map(|n| n.expose().to_string()),
            expiry: r.expdate.clone(),
            brand: r.cardtype.clone(),
        }
    });
    #[allow(deprecated)]
    let bank = (r.bankcode.is_some() || r.bankacct.is_some()).then(|| {
        super::billing::paymethods::LegacyBank {
            code: r.bankcode.clone(),
            account: r.bankacct.as_ref().map(|n| n.expose().to_string()),
        }
    });
    super::billing::paymethods::legacy_update(
        w,
        id,
        card,
        bank,
        r.clearcreditcard.unwrap_or(false),
    )?;
    let customfields =
        fields::custom_values(&w.catalogue.customfields, None, r.customfields.as_ref());
    let c = w
        .clients
        .clients
        .get_mut(id)
        .ok_or(UpdateClientError::ClientNotFound)?;
    // The fields given replace their values; the others keep theirs.
    c.customfields.extend(customfields);
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut c.firstname, r.firstname);
    set(&mut c.lastname, r.lastname);
    set(&mut c.email, r.email);
    set(&mut c.companyname, r.companyname);
    set(&mut c.address1, r.address1);
    set(&mut c.address2, r.address2);
    set(&mut c.city, r.city);
    set(&mut c.state, r.state);
    set(&mut c.postcode, r.postcode);
    set(&mut c.country, r.country);
    set(&mut c.phonenumber, r.phonenumber);
    set(&mut c.tax_id, r.tax_id);
    set(&mut c.language, r.language);
    set(&mut c.notes, r.notes);
    set(&mut c.defaultgateway, r.paymentmethod);
    c.email_preferences = prefs;
    if let Some(s) = r.status {
        c.status = s;
    }
    if let Some(g) = r.groupid {
        c.groupid = g;
    }
    if let Some(cur) = r.currency {
        c.currency = cur;
    }
    if let Some(v) = r.marketingoptin {
        c.marketing_optin = v;
    }
    let flag = |field: &mut bool, v: Option<bool>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    flag(&mut c.flags.taxexempt, r.taxexempt);
    flag(&mut c.flags.latefeeoveride, r.latefeeoveride);
    flag(&mut c.flags.overideduenotices, r.overideduenotices);
    flag(&mut c.flags.separateinvoices, r.separateinvoices);
    flag(&mut c.flags.disableautocc, r.disableautocc);
    flag(&mut c.flags.overrideautoclose, r.overrideautoclose);
    w.log(id, format!("Client Profile Modified - Client ID: {id}"));
    Ok(UpdateClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}

fn delete_client(
    w: &mut State,
    r: DeleteClient,
) -> Result<DeleteClientResponse, DeleteClientError> {
    let id = r.clientid;
    if w.clients.clients.remove(id).is_none() {
        return Err(DeleteClientError::ClientNotFound);
    }
    let mut orphans = Vec::new();
    for (uid, u) in w.clients.users.iter_mut() {
        if u.clients.contains(&id) {
            u.clients.retain(|c| *c != id);
            u.permissions.remove(&id);
            if u.clients.is_empty() {
                orphans.push(uid);
            }
        }
    }
    if r.deleteusers.unwrap_or(false) {
        w.clients.users.retain(|uid, _| !orphans.contains(&uid));
    }
    w.clients.contacts.retain(|_, c| c.userid != id);
    w.clients.notes.retain(|_, n| n.userid != id);
    w.clients.invites.retain(|_, i| i.client != id);
    w.clients.sso_tokens.retain(|_, t| t.client != Some(id));
    w.orders.forget_client(id);
    w.billing
        .forget_client(id, r.deletetransactions.unwrap_or(false));
    w.support.forget_client(id);
    w.quotes.forget_client(id);
    w.affiliates.forget_client(id);
    w.mail.forget_client(id);
    w.projects.forget_client(id);
    w.log(id, format!("Client Deleted - ID: {id}"));
    Ok(DeleteClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}

fn close_client(w: &mut State, r: CloseClient) -> Result<CloseClientResponse, CloseClientError> {
    let id = r.clientid;
    let c = w
        .clients
        .clients
        .get_mut(id)
        .ok_or(CloseClientError::ClientNotFound)?;
    c.status = ClientStatus::Closed;
    w.orders.close_client(id);
    let now = w.now;
    w.billing.close_client(id, now);
    w.log(
        id,
        format!("Client Status changed to Closed - User ID: {id}"),
    );
    Ok(CloseClientResponse {
        clientid: Some(id),
        ..Default::default()
    })
}

fn add_contact(w: &mut State, r: AddContact) -> Result<AddContactResponse, AddContactError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(AddContactError::ClientNotFound);
    }
    let email = r.email.unwrap_or_default();
    if !email.is_empty() && w.clients.email_taken(&email, None) {
        return Err(AddContactError::DuplicateEmailAddress);
    }
    let mut prefs = Prefs::all(false);
    if let Some(p) = &r.email_preferences {
        prefs.apply(p);
    }
    let now = w.now;
    let id = w.clients.contacts.insert(Contact {
        userid: r.clientid,
        firstname: r.firstname.unwrap_or_default(),
        lastname: r.lastname.unwrap_or_default(),
        companyname: r.companyname.unwrap_or_default(),
        email,
        address1: r.address1.unwrap_or_default(),
        address2: r.address2.unwrap_or_default(),
        city: r.city.unwrap_or_default(),
        state: r.state.unwrap_or_default(),
        postcode: r.postcode.unwrap_or_default(),
        country: r.country.unwrap_or_default(),
        phonenumber: r.phonenumber.unwrap_or_default(),
        tax_id: r.tax_id.unwrap_or_default(),
        email_preferences: prefs,
        created_at: now,
        updated_at: now,
    });
    w.log(
        r.clientid,
        format!("Added Contact - User ID: {} - Contact ID: {id}", r.clientid),
    );
    Ok(AddContactResponse {
        contactid: id,
        ..Default::default()
    })
}

fn get_contacts(w: &State, r: GetContacts) -> Result<GetContactsResponse, GetContactsError> {
    // Each filter matches its field exactly, in any case (as MySQL compares text).
    let is = |want: &Option<String>, have: &str| {
        want.as_deref()
            .filter(|w| !w.is_empty())
            .is_none_or(|w| w.eq_ignore_ascii_case(have))
    };
    let rows: Vec<get_contacts::Contact> = w
        .clients
        .contacts
        .iter()
        .filter(|(_, c)| {
            r.userid.is_none_or(|u| u == c.userid)
                && is(&r.firstname, &c.firstname)
                && is(&r.lastname, &c.lastname)
                && is(&r.companyname, &c.companyname)
                && is(&r.email, &c.email)
                && is(&r.address1, &c.address1)
                && is(&r.address2, &c.address2)
                && is(&r.city, &c.city)
                && is(&r.state, &c.state)
                && is(&r.postcode, &c.postcode)
                && is(&r.country, &c.country)
                && is(&r.phonenumber, &c.phonenumber)
        })
        .map(|(id, c)| get_contacts::Contact {
            id: Some(id),
            userid: Some(c.userid),
            firstname: Some(c.firstname.clone()),
            lastname: Some(c.lastname.clone()),
            email: Some(c.email.clone()),
            address1: Some(c.address1.clone()),
            address2: Some(c.address2.clone()),
            city: Some(c.city.clone()),
            state: Some(c.state.clone()),
            postcode: Some(c.postcode.clone()),
            country: Some(c.country.clone()),
            phonenumber: Some(c.phonenumber.clone()),
            domainemails: Some(c.email_preferences.domain),
            generalemails: Some(c.email_preferences.general),
            invoiceemails: Some(c.email_preferences.invoice),
            productemails: Some(c.email_preferences.product),
            supportemails: Some(c.email_preferences.support),
            affiliateemails: Some(c.email_preferences.affiliate),
            created_at: Some(c.created_at),
            updated_at: Some(c.updated_at),
            ..Default::default()
        })
        .collect();
    let (total, start, contacts) = page(rows, r.limitstart, r.limitnum);
    Ok(GetContactsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(contacts.len() as i64),
        contacts,
        ..Default::default()
    })
}

fn update_contact(
    w: &mut State,
    r: UpdateContact,
) -> Result<UpdateContactResponse, UpdateContactError> {
    let id = r.contactid;
    let (client, mut prefs) = w
        .clients
        .contacts
        .get(id)
        .map(|c| (c.userid, c.email_preferences))
        .ok_or(UpdateContactError::ContactNotFound)?;
    if let Some(email) = r.email.as_deref().filter(|e| !e.is_empty())
        && w.clients.email_taken(email, Some((true, id)))
    {
        return Err(UpdateContactError::DuplicateEmailAddress);
    }
    if let Some(p) = &r.email_preferences {
        prefs.apply(p);
        let client_prefs = w
            .clients
            .clients
            .get(client)
            .map(|c| c.email_preferences)
            .unwrap_or_default();
        if !prefs.domain && !w.clients.domain_recipient(client, Some(id), client_prefs) {
            return Err(UpdateContactError::DomainNotificationRecipientRequired);
        }
    }
    let now = w.now;
    let c = w
        .clients
        .contacts
        .get_mut(id)
        .ok_or(UpdateContactError::ContactNotFound)?;
    let set = |field: &mut String, v: Option<String>| {
        if let Some(v) = v {
            *field = v;
        }
    };
    set(&mut c.firstname, r.firstname);
    set(&mut c.lastname, r.lastname);
    set(&mut c.companyname, r.companyname);
    set(&mut c.email, r.email);
    set(&mut c.address1, r.address1);
    set(&mut c.address2, r.address2);
    set(&mut c.city, r.city);
    set(&mut c.state, r.state);
    set(&mut c.postcode, r.postcode);
    set(&mut c.country, r.country);
    set(&mut c.phonenumber, r.phonenumber);
    c.email_preferences = prefs;
    c.updated_at = now;
    w.log(client, format!("Contact Modified - Contact ID: {id}"));
    Ok(UpdateContactResponse {
        contactid: Some(id),
        ..Default::default()
    })
}

fn delete_contact(
    w: &mut State,
    r: DeleteContact,
) -> Result<DeleteContactResponse, DeleteContactError> {
    let id = r.contactid;
    let contact = w
        .clients
        .contacts
        .remove(id)
        .ok_or(DeleteContactError::ContactNotFound)?;
    if let Some(c) = w.clients.clients.get_mut(contact.userid)
        && c.billingcid == id
    {
        c.billingcid = 0;
    }
    w.log(
        contact.userid,
        format!("Deleted Contact - Contact ID: {id}"),
    );
    Ok(DeleteContactResponse {
        contactid: Some(id),
        ..Default::default()
    })
}

fn add_client_note(
    w: &mut State,
    r: AddClientNote,
) -> Result<AddClientNoteResponse, AddClientNoteError> {
    if !w.clients.clients.contains(r.userid) {
        return Err(AddClientNoteError::ClientNotFound);
    }
    if r.notes.trim().is_empty() {
        return Err(AddClientNoteError::NotesEmpty);
    }
    let now = w.now;
    let id = w.clients.notes.insert(Note {
        userid: r.userid,
        note: r.notes,
        sticky: r.sticky.unwrap_or(false),
        created: now,
        modified: now,
    });
    w.log(r.userid, format!("Added Note - Note ID: {id}"));
    Ok(AddClientNoteResponse {
        noteid: id,
        ..Default::default()
    })
}

fn get_client_groups(
    w: &State,
    _: GetClientGroups,
) -> Result<GetClientGroupsResponse, GetClientGroupsError> {
    let on = |b: bool| if b { "on" } else { "" }.to_string();
    let groups: Vec<get_client_groups::ClientGroup> = w
        .clients
        .groups
        .iter()
        .map(|(id, g)| get_client_groups::ClientGroup {
            id: Some(id),
            groupname: Some(g.groupname.clone()),
            groupcolour: Some(g.groupcolour.clone()),
            discountpercent: g.discountpercent.to_string().parse().ok(),
            susptermexempt: Some(on(g.susptermexempt)),
            separateinvoices: Some(on(g.separateinvoices)),
            ..Default::default()
        })
        .collect();
    Ok(GetClientGroupsResponse {
        totalresults: Some(groups.len() as i64),
        groups,
        ..Default::default()
    })
}

//! Email templates and the mail WHMCS sends: the client email log (SendEmail, GetEmails, and
//! the messages actions send on their own through [`send_template`]) and notifications to admins
//! (SendAdminEmail).

use serde::{Deserialize, Serialize};
use whmcs_api::DateTime;
use whmcs_api::actions::client::get_emails;
use whmcs_api::actions::system::get_email_templates;
use whmcs_api::actions::{
    AdminNotificationType, GetEmailTemplates, GetEmailTemplatesError, GetEmailTemplatesResponse,
    GetEmails, GetEmailsError, GetEmailsResponse, SendAdminEmail, SendAdminEmailError,
    SendAdminEmailResponse, SendEmail, SendEmailError, SendEmailResponse,
};

use super::registry::Registry;
use super::{State, Table, codec, page};

/// The mail tables.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct Mail {
    pub(crate) templates: Table<EmailTemplate>,
    /// Mail sent to clients (and ticket guests, client 0), oldest first.
    pub(crate) emails: Table<SentEmail>,
    /// Notifications sent to admins.
    pub(crate) admin_emails: Table<AdminEmail>,
}

/// An email template.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct EmailTemplate {
    /// `general`, `product`, `domain`, `invoice`, `support`, `affiliate` or `admin`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) subject: String,
    pub(crate) message: String,
    /// Written by staff rather than shipped with WHMCS.
    pub(crate) custom: bool,
    pub(crate) disabled: bool,
    /// The translation's language, empty for the default one.
    pub(crate) language: String,
}

impl Default for EmailTemplate {
    fn default() -> Self {
        Self {
            kind: "general".into(),
            name: String::new(),
            subject: String::new(),
            message: String::new(),
            custom: true,
            disabled: false,
            language: String::new(),
        }
    }
}

/// A message sent to a client.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct SentEmail {
    /// The client it went to (0 for a ticket guest).
    pub(crate) userid: i64,
    pub(crate) subject: String,
    pub(crate) message: String,
    /// `Name <address>`.
    pub(crate) to: String,
    pub(crate) cc: String,
    pub(crate) bcc: String,
    pub(crate) date: DateTime,
}

/// A notification sent to admins.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct AdminEmail {
    /// The addresses it went to.
    pub(crate) to: Vec<String>,
    pub(crate) subject: String,
    pub(crate) message: String,
    /// `system`, `account` or `support`.
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) deptid: i64,
    pub(crate) date: DateTime,
}

/// Templates the reference says SendEmail cannot send.
const NOT_SENDABLE: &[&str] = &[
    "Order Confirmation",
    "Password Reset Confirmation",
    "Password Reset Validation",
    "Quote Accepted",
    "Quote Accepted Notification",
    "Quote Delivery with PDF",
    "Clients Only Bounce Message",
    "Replies Only Bounce Message",
    "Affiliate Monthly Referrals Report",
];

impl Default for Mail {
    /// A fresh installation: a selection of WHMCS's shipped templates of each type.
    fn default() -> Self {
        let mut templates = Table::default();
        let shipped = [
            (
                "general",
                "Client Signup Email",
                "Welcome to {$company_name}",
            ),
            ("general", "Order Confirmation", "Order Confirmation"),
            (
                "general",
                "Password Reset Validation",
                "Your login details for {$company_name}",
            ),
            (
                "product",
                "Hosting Account Welcome Email",
                "New Account Information",
            ),
            (
                "product",
                "Service Suspension Notification",
                "Service Suspension Notification",
            ),
            (
                "domain",
                "Domain Registration Confirmation",
                "Domain Registration Confirmation",
            ),
            ("invoice", "Invoice Created", "Customer Invoice"),
            (
                "invoice",
                "Invoice Payment Confirmation",
                "Invoice Payment Confirmation",
            ),
            (
                "support",
                "Support Ticket Opened",
                "[Ticket ID: {$ticket_id}] {$ticket_subject}",
            ),
            (
                "support",
                "Support Ticket Reply",
                "[Ticket ID: {$ticket_id}] {$ticket_subject}",
            ),
            (
                "affiliate",
                "Affiliate Monthly Referrals Report",
                "Affiliate Monthly Referrals Report",
            ),
            (
                "admin",
                "New Order Notification",
                "WHMCS New Order Notification",
            ),
            (
                "admin",
                "Support Ticket Created",
                "[Ticket ID: {$ticket_tid}] New Support Ticket Opened",
            ),
            (
                "admin",
                "Support Ticket Response",
                "[Ticket ID: {$ticket_tid}] New Support Ticket Response",
            ),
        ];
        for (kind, name, subject) in shipped {
            templates.insert(EmailTemplate {
                kind: kind.into(),
                name: name.into(),
                subject: subject.into(),
                message: format!("<p>Dear {{$client_name}},</p><p>{name}.</p>"),
                custom: false,
                ..EmailTemplate::default()
            });
        }
        Self {
            templates,
            emails: Table::default(),
            admin_emails: Table::default(),
        }
    }
}

impl Mail {
    /// Whether template or sent email `id` exists; `None` for kinds kept elsewhere.
    pub(crate) fn exists(&self, entity: &str, id: i64) -> Option<bool> {
        match entity {
            "email_template" => Some(self.templates.contains(id)),
            "email" => Some(self.emails.contains(id)),
            _ => None,
        }
    }

    /// A deleted client's mail log goes with it (for DeleteClient to call).
    pub(crate) fn forget_client(&mut self, client: i64) {
        self.emails.retain(|_, e| e.userid != client);
    }

    /// The template named `name` (any case) of the default language, admin ones or not.
    fn template(&self, name: &str, admin: bool) -> Option<&EmailTemplate> {
        self.templates.iter().map(|(_, t)| t).find(|t| {
            t.name.eq_ignore_ascii_case(name.trim())
                && t.language.is_empty()
                && (t.kind == "admin") == admin
        })
    }
}

/// Registers the mail actions' handlers.
pub(crate) fn register(r: &mut Registry) {
    r.read::<GetEmailTemplates>(get_email_templates);
    r.on::<SendEmail>(send_email);
    r.on::<SendAdminEmail>(send_admin_email);
    r.read::<GetEmails>(get_emails);
}

/// Templates of a type (all by default) in a language (the default one by default).
fn get_email_templates(
    w: &State,
    r: GetEmailTemplates,
) -> Result<GetEmailTemplatesResponse, GetEmailTemplatesError> {
    let language = r.language.as_deref().unwrap_or("").trim().to_lowercase();
    let language = if language == w.system.setting("Language").to_lowercase() {
        String::new()
    } else {
        language
    };
    let emailtemplates: Vec<get_email_templates::EmailTemplate> = w
        .mail
        .templates
        .iter()
        .filter(|(_, t)| {
            r.template_type
                .as_deref()
                .is_none_or(|k| t.kind.eq_ignore_ascii_case(k))
        })
        .filter(|(_, t)| t.language.to_lowercase() == language)
        .map(|(id, t)| get_email_templates::EmailTemplate {
            id: Some(id),
            name: Some(t.name.clone()),
            subject: Some(t.subject.clone()),
            custom: Some(t.custom),
            ..Default::default()
        })
        .collect();
    Ok(GetEmailTemplatesResponse {
        totalresults: Some(emailtemplates.len() as i64),
        emailtemplates,
        ..Default::default()
    })
}

/// Where a message goes: the client (0 for a ticket guest), the name, the address, and the
/// merge fields the related record gives.
type Recipient = (i64, String, String, Vec<(String, String)>);

/// Who a message about record `id` of template type `kind` goes to: the client (0 for a ticket
/// guest), the name and the address, with the merge fields the record gives. `None` when the
/// record does not exist (or is of a kind the mock does not keep).
fn recipient(w: &State, kind: &str, id: i64) -> Option<Recipient> {
    let client = |cid: i64, mut fields: Vec<(String, String)>| {
        let c = w.clients.clients.get(cid)?;
        fields.extend([
            ("client_id".to_string(), cid.to_string()),
            ("client_name".to_string(), c.fullname()),
            ("client_first_name".to_string(), c.firstname.clone()),
            ("client_last_name".to_string(), c.lastname.clone()),
            ("client_email".to_string(), c.email.clone()),
        ]);
        Some((cid, c.fullname(), c.email.clone(), fields))
    };
    match kind {
        "general" => client(id, Vec::new()),
        "product" => {
            let s = w.orders.services.get(id)?;
            client(s.clientid, vec![("service_id".into(), id.to_string())])
        }
        "invoice" => {
            let i = w.billing.invoices.get(id)?;
            client(
                i.userid,
                vec![
                    ("invoice_id".into(), id.to_string()),
                    ("invoice_num".into(), id.to_string()),
                ],
            )
        }
        "support" => {
            let t = w.support.tickets.get(id)?;
            let fields = vec![
                ("ticket_id".into(), t.tid.clone()),
                ("ticket_subject".into(), t.subject.clone()),
            ];
            if t.userid > 0 {
                client(t.userid, fields)
            } else {
                let mut fields = fields;
                fields.push(("client_name".into(), t.name.clone()));
                Some((0, t.name.clone(), t.email.clone(), fields))
            }
        }
        _ => None,
    }
}

/// `text` with each `{$name}` of `fields` replaced by its value.
fn merge(text: &str, fields: &[(String, String)]) -> String {
    fields.iter().fold(text.to_string(), |acc, (k, v)| {
        acc.replace(&format!("{{${k}}}"), v)
    })
}

/// Sends a client template or a custom message about a related record to its client, merge
/// fields filled in, and logs it for GetEmails.
fn send_email(w: &mut State, r: SendEmail) -> Result<SendEmailResponse, SendEmailError> {
    let (kind, subject, message) = match (&r.messagename, &r.customtype) {
        (Some(name), _) => {
            let t = w
                .mail
                .template(name, false)
                .filter(|t| !NOT_SENDABLE.iter().any(|n| n.eq_ignore_ascii_case(&t.name)))
                .ok_or(SendEmailError::EmailTemplateNotFound)?;
            if t.disabled {
                return Err(SendEmailError::EmailTemplateDisabled);
            }
            (t.kind.clone(), t.subject.clone(), t.message.clone())
        }
        (None, Some(kind)) => {
            let subject = r
                .customsubject
                .clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or(SendEmailError::CustomSubjectRequired)?;
            let message = r
                .custommessage
                .clone()
                .filter(|s| !s.trim().is_empty())
                .ok_or(SendEmailError::CustomMessageRequired)?;
            (kind.to_string(), subject, message)
        }
        (None, None) => return Err(SendEmailError::TemplateOrCustomTypeRequired),
    };
    let id = r.id.ok_or(SendEmailError::RelatedIdRequired)?;
    let vars = match &r.customvars {
        None => Vec::new(),
        Some(v) => codec::php_array(&v.to_wire()).ok_or(SendEmailError::InvalidCustomVariables)?,
    };
    deliver(w, &kind, id, &subject, &message, vars).ok_or(SendEmailError::SendingFailed)?;
    Ok(SendEmailResponse::default())
}

/// Sends the client template `name` about record `id` of the template's type (a client for
/// `general`, a service for `product`, an invoice for `invoice`, a ticket for `support`), merge
/// fields filled in, and logs it as SendEmail does. For the mail WHMCS sends on its own when an
/// action sets it off: a template that is missing or disabled, or a record that does not exist,
/// sends nothing and is no error, since an automatic email that fails does not fail the action.
/// Unlike SendEmail, it may send the templates only WHMCS itself sends (Order Confirmation).
/// Returns whether a message was sent.
pub(crate) fn send_template(w: &mut State, name: &str, id: i64) -> bool {
    let Some((kind, subject, message)) = w
        .mail
        .template(name, false)
        .filter(|t| !t.disabled)
        .map(|t| (t.kind.clone(), t.subject.clone(), t.message.clone()))
    else {
        return false;
    };
    deliver(w, &kind, id, &subject, &message, Vec::new()).is_some()
}

/// Sends a message about record `id` of template type `kind` to its client: the record's merge
/// fields, the company name and then `vars` are filled in, the message goes in the client's mail
/// log and a line in the activity log. `None` (and nothing sent) when there is no such record.
fn deliver(
    w: &mut State,
    kind: &str,
    id: i64,
    subject: &str,
    message: &str,
    vars: Vec<(String, String)>,
) -> Option<()> {
    let (userid, name, email, mut fields) = recipient(w, kind, id)?;
    fields.push((
        "company_name".into(),
        w.system.setting("CompanyName").to_string(),
    ));
    fields.extend(vars);
    let subject = merge(subject, &fields);
    w.mail.emails.insert(SentEmail {
        userid,
        subject: subject.clone(),
        message: merge(message, &fields),
        to: format!("{name} <{email}>"),
        cc: String::new(),
        bcc: String::new(),
        date: w.now,
    });
    w.log(userid, format!("Email Sent to {name} ({subject})"));
    Some(())
}

/// Sends an admin template or a custom message to the active admins (for `support`, those
/// of the department), merge fields filled in.
fn send_admin_email(
    w: &mut State,
    r: SendAdminEmail,
) -> Result<SendAdminEmailResponse, SendAdminEmailError> {
    let (subject, message) = match &r.messagename {
        Some(name) => {
            let t = w
                .mail
                .template(name, true)
                .filter(|t| !t.disabled)
                .ok_or(SendAdminEmailError::EmailTemplateNotFound)?;
            (t.subject.clone(), t.message.clone())
        }
        None => match (&r.customsubject, &r.custommessage) {
            (None, None) => return Err(SendAdminEmailError::EmailTemplateNotFound),
            (s, m) => (s.clone().unwrap_or_default(), m.clone().unwrap_or_default()),
        },
    };
    let kind = r.notification_type.unwrap_or(AdminNotificationType::System);
    let deptid = r.deptid.unwrap_or(0);
    let support = kind == AdminNotificationType::Support;
    let to: Vec<String> = w
        .admins
        .admins
        .iter()
        .filter(|(_, a)| !a.disabled)
        .filter(|(_, a)| !support || deptid == 0 || a.departments.contains(&deptid))
        .map(|(_, a)| a.email.clone())
        .collect();
    let fields: Vec<(String, String)> = r
        .mergefields
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let subject = merge(&subject, &fields);
    w.mail.admin_emails.insert(AdminEmail {
        to,
        subject: subject.clone(),
        message: merge(&message, &fields),
        kind: kind.to_string(),
        deptid,
        date: w.now,
    });
    w.log(
        0,
        format!("Admin Email Notification Sent - Subject: {subject}"),
    );
    Ok(SendAdminEmailResponse::default())
}

/// A client's mail log, newest first, by subject (any part, any case) or date (its start).
fn get_emails(w: &State, r: GetEmails) -> Result<GetEmailsResponse, GetEmailsError> {
    if !w.clients.clients.contains(r.clientid) {
        return Err(GetEmailsError::ClientNotFound);
    }
    let subject = r.subject.as_deref().map(str::to_lowercase);
    let rows: Vec<get_emails::SentEmail> = w
        .mail
        .emails
        .iter()
        .rev()
        .filter(|(_, e)| e.userid == r.clientid)
        .filter(|(_, e)| {
            subject
                .as_ref()
                .is_none_or(|s| e.subject.to_lowercase().contains(s.as_str()))
        })
        .filter(|(_, e)| {
            r.date
                .as_deref()
                .is_none_or(|d| e.date.to_string().starts_with(d.trim()))
        })
        .map(|(id, e)| get_emails::SentEmail {
            id: Some(id),
            userid: Some(e.userid),
            subject: Some(e.subject.clone()),
            message: Some(e.message.clone()),
            date: Some(e.date),
            to: Some(e.to.clone()),
            cc: Some(e.cc.clone()),
            bcc: Some(e.bcc.clone()),
            attachments: Some(String::new()),
            pending: Some(false),
            message_data: Some(String::new()),
            failed: Some(false),
            failure_reason: Some(String::new()),
            retry_count: Some(0),
            created_at: Some(e.date),
            updated_at: Some(e.date),
            campaign_id: Some(0),
            ..Default::default()
        })
        .collect();
    let (total, start, emails) = page(rows, r.limitstart, r.limitnum);
    Ok(GetEmailsResponse {
        totalresults: Some(total),
        startnumber: Some(start),
        numreturned: Some(emails.len() as i64),
        emails,
        ..Default::default()
    })
}

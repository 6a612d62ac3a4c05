//! Project management against the mock over HTTP: projects, their tasks, the time tracked on
//! tasks and the message thread, with WHMCS's documented errors, filters and paging.

use serde_json::json;
use whmcs_api::actions::{
    AddClientRequired, AddProjectMessageError, AddProjectTaskError, CreateProjectError,
    DeleteProjectTaskError, EndTaskTimerError, GetProjectError, StartTaskTimerError,
    UpdateProjectError, UpdateProjectTaskError,
};
use whmcs_api::{Client, Date, DateTime};
use whmcs_mock::MockServer;

mod common;
use common::api_error;

fn day(s: &str) -> Date {
    s.parse().expect("date")
}

fn at(s: &str) -> DateTime {
    s.parse().expect("datetime")
}

async fn add_client(client: &Client, email: &str) -> i64 {
    client
        .add_client(AddClientRequired {
            firstname: "Pat",
            lastname: "Planner",
            email,
            address1: "1 Main St",
            city: "Springfield",
            state: "IL",
            postcode: "62701",
            country: "US",
            phonenumber: "+1.5555550100",
        })
        .await
        .expect("AddClient")
        .clientid
}

/// A project for admin 1; returns its id.
async fn project(client: &Client, title: &str) -> i64 {
    client
        .create_project(title, 1)
        .await
        .expect("CreateProject")
        .projectid
}

#[tokio::test]
async fn a_created_project_is_read_back_and_listed() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let pat = add_client(&client, "pat@example.com").await;
    let created = client
        .create_project("Website redesign", 1)
        .userid(pat)
        .duedate(day("2026-03-01"))
        .ticketids("3, 4,")
        .await
        .expect("CreateProject");
    assert_eq!(created.projectid, 1, "projects are numbered from 1");
    assert_eq!(created.message.as_deref(), Some("Project has been created"));

    let got = client
        .get_project(created.projectid)
        .await
        .expect("GetProject");
    let info = got.projectinfo.expect("projectinfo");
    assert_eq!(info.title.as_deref(), Some("Website redesign"));
    assert_eq!(info.userid, Some(pat));
    assert_eq!(info.adminid, Some(1));
    assert_eq!(info.status.as_deref(), Some("Pending"), "the first status");
    assert_eq!(info.created, Some(mock.today()));
    assert_eq!(info.duedate, Some(day("2026-03-01")));
    assert_eq!(info.ticketids.as_deref(), Some("3,4"));
    assert_eq!(info.completed, Some(false));
    assert!(got.tasks.is_empty() && got.messages.is_empty());

    let list = client.get_projects().await.expect("GetProjects");
    assert_eq!(list.totalresults, Some(1));
    assert_eq!(list.projects[0].id, Some(created.projectid));
    assert_eq!(list.projects[0].title.as_deref(), Some("Website redesign"));
}

#[tokio::test]
async fn create_project_answers_its_documented_errors() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let e = api_error(client.create_project("", 1).await);
    assert!(matches!(e, CreateProjectError::TitleRequired), "{e:?}");
    let e = api_error(client.create_project("t", 9).await);
    assert!(matches!(e, CreateProjectError::AdminNotFound), "{e:?}");
    let e = api_error(client.create_project("t", 1).userid(9).await);
    assert!(matches!(e, CreateProjectError::ClientNotFound), "{e:?}");

    let mut state = mock.snapshot();
    state["projects"]["active"] = json!(false);
    mock.seed(state).expect("seed");
    let e = api_error(client.create_project("t", 1).await);
    assert!(
        matches!(e, CreateProjectError::ProjectManagementInactive),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "Project Management is not active.");
}

#[tokio::test]
async fn update_project_persists() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let pat = add_client(&client, "pat@example.com").await;
    let id = project(&client, "Draft").await;
    mock.advance_days(3);
    client
        .update_project(id)
        .title("Final")
        .userid(pat)
        .status("In Progress")
        .completed(true)
        .notes("Kick-off on Monday")
        .invoiceids("7,8")
        .duedate(day("2026-02-01"))
        .await
        .expect("UpdateProject");
    let info = client
        .get_project(id)
        .await
        .expect("get")
        .projectinfo
        .expect("info");
    assert_eq!(info.title.as_deref(), Some("Final"));
    assert_eq!(info.userid, Some(pat));
    assert_eq!(info.status.as_deref(), Some("In Progress"));
    assert_eq!(info.completed, Some(true));
    assert_eq!(info.notes.as_deref(), Some("Kick-off on Monday"));
    assert_eq!(info.invoiceids.as_deref(), Some("7,8"));
    assert_eq!(info.duedate, Some(day("2026-02-01")));
    assert_eq!(info.lastmodified, Some(at("2026-01-04 12:00:00")));

    let e = api_error(client.update_project(99).title("x").await);
    assert!(matches!(e, UpdateProjectError::ProjectNotFound), "{e:?}");
    let e = api_error(client.update_project(id).adminid(99).await);
    assert!(matches!(e, UpdateProjectError::AdminNotFound), "{e:?}");
    let e = api_error(client.update_project(id).userid(99).await);
    assert!(matches!(e, UpdateProjectError::ClientNotFound), "{e:?}");
    let e = api_error(client.get_project(99).await);
    assert!(matches!(e, GetProjectError::ProjectNotFound), "{e:?}");
}

#[tokio::test]
async fn tasks_are_added_updated_moved_and_deleted() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let a = project(&client, "A").await;
    let b = project(&client, "B").await;
    let added = client
        .add_project_task(a, day("2026-01-10"))
        .task("Design")
        .notes("mock-ups first")
        .await
        .expect("AddProjectTask");
    assert_eq!(added.message.as_deref(), Some("Task has been added"));
    client
        .add_project_task(a, day("2026-01-20"))
        .task("Build")
        .adminid(1)
        .await
        .expect("second task");

    let got = client.get_project(a).await.expect("get");
    let tasks: Vec<_> = got
        .tasks
        .iter()
        .map(|t| (t.id, t.task.clone(), t.order))
        .collect();
    assert_eq!(
        tasks,
        [
            (Some(1), Some("Design".to_string()), Some(1)),
            (Some(2), Some("Build".to_string()), Some(2))
        ]
    );
    assert_eq!(got.tasks[0].duedate, Some(day("2026-01-10")));
    assert_eq!(got.tasks[0].notes.as_deref(), Some("mock-ups first"));
    assert_eq!(got.tasks[1].adminid, Some(1));

    let e = api_error(client.add_project_task(a, day("2026-01-10")).await);
    assert!(
        matches!(e, AddProjectTaskError::TaskDescriptionRequired),
        "{e:?}"
    );
    let e = api_error(
        client
            .add_project_task(99, day("2026-01-10"))
            .task("x")
            .await,
    );
    assert!(matches!(e, AddProjectTaskError::ProjectNotFound), "{e:?}");
    let e = api_error(
        client
            .add_project_task(a, day("2026-01-10"))
            .task("x")
            .adminid(9)
            .await,
    );
    assert!(matches!(e, AddProjectTaskError::AdminNotFound), "{e:?}");

    client
        .update_project_task(1)
        .task("Design v2")
        .completed(true)
        .duedate(day("2026-01-12"))
        .await
        .expect("UpdateProjectTask");
    let got = client.get_project(a).await.expect("get");
    assert_eq!(got.tasks[0].task.as_deref(), Some("Design v2"));
    assert_eq!(got.tasks[0].completed, Some(true));
    assert_eq!(got.tasks[0].duedate, Some(day("2026-01-12")));

    client
        .update_project_task(2)
        .projectid(b)
        .await
        .expect("move the task");
    assert_eq!(client.get_project(a).await.expect("a").tasks.len(), 1);
    assert_eq!(client.get_project(b).await.expect("b").tasks.len(), 1);
    let e = api_error(client.update_project_task(2).projectid(99).await);
    assert!(
        matches!(e, UpdateProjectTaskError::ProjectNotFound),
        "{e:?}"
    );

    let e = api_error(client.delete_project_task(a, 2).await);
    assert!(
        matches!(e, DeleteProjectTaskError::TaskNotFound),
        "task 2 is in project B now: {e:?}"
    );
    let deleted = client
        .delete_project_task(a, 1)
        .await
        .expect("DeleteProjectTask");
    assert_eq!(deleted.message.as_deref(), Some("Task has been deleted"));
    assert!(client.get_project(a).await.expect("a").tasks.is_empty());
    let e = api_error(client.update_project_task(1).task("x").await);
    assert!(matches!(e, UpdateProjectTaskError::TaskNotFound), "{e:?}");
    let e = api_error(client.delete_project_task(99, 1).await);
    assert!(
        matches!(e, DeleteProjectTaskError::ProjectNotFound),
        "{e:?}"
    );
}

#[tokio::test]
async fn timers_track_time_on_tasks() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let a = project(&client, "A").await;
    let b = project(&client, "B").await;
    client
        .add_project_task(a, day("2026-01-10"))
        .task("Design")
        .await
        .expect("task");
    let start = 1_767_261_600; // 2026-01-01 10:00:00
    client
        .start_task_timer(a, 1)
        .start_time(start)
        .await
        .expect("StartTaskTimer");
    let log = client.get_project(a).await.expect("get").tasks[0]
        .timelogs
        .clone();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].start, Some(start));
    assert_eq!(log[0].starttime, Some(at("2026-01-01 10:00:00")));
    assert_eq!(log[0].end, Some(0), "still running");
    assert_eq!(log[0].adminid, Some(1));
    let timer = log[0].id.expect("timer id");

    let e = api_error(client.end_task_timer(timer).projectid(b).await);
    assert!(
        matches!(e, EndTaskTimerError::TimerNotFound),
        "the timer is not in B: {e:?}"
    );
    client.end_task_timer(timer).await.expect("EndTaskTimer");
    let log = client.get_project(a).await.expect("get").tasks[0]
        .timelogs
        .clone();
    assert_eq!(log[0].endtime, Some(at("2026-01-01 12:00:00")), "now");
    assert_eq!(log[0].end, Some(start + 2 * 3600));

    let e = api_error(client.start_task_timer(a, 9).await);
    assert!(matches!(e, StartTaskTimerError::TimerNotFound), "{e:?}");
    let e = api_error(client.start_task_timer(b, 1).await);
    assert!(
        matches!(e, StartTaskTimerError::TimerNotFound),
        "task 1 is not in B: {e:?}"
    );
    let e = api_error(client.start_task_timer(99, 1).await);
    assert!(matches!(e, StartTaskTimerError::ProjectNotFound), "{e:?}");
    let e = api_error(client.start_task_timer(a, 1).adminid(9).await);
    assert!(matches!(e, StartTaskTimerError::AdminNotFound), "{e:?}");
    let e = api_error(client.end_task_timer(99).await);
    assert!(matches!(e, EndTaskTimerError::TimerNotFound), "{e:?}");

    client.delete_project_task(a, 1).await.expect("delete");
    let e = api_error(client.end_task_timer(timer).await);
    assert!(
        matches!(e, EndTaskTimerError::TimerNotFound),
        "a deleted task's time goes with it: {e:?}"
    );
}

#[tokio::test]
async fn messages_are_posted_to_the_thread() {
    let mock = MockServer::start().await.expect("mock");
    let mut state = mock.snapshot();
    state["admins"]["admins"]["rows"]["2"] =
        json!({"username": "sam", "firstname": "Sam", "lastname": "Staff"});
    mock.seed(state).expect("seed");
    let client = mock.client().expect("client");
    let a = project(&client, "A").await;
    let posted = client
        .add_project_message(a, "Kick-off notes")
        .await
        .expect("AddProjectMessage");
    assert_eq!(posted.message.as_deref(), Some("Message has been added"));
    client
        .add_project_message(a, "From Sam")
        .adminid(2)
        .await
        .expect("as admin 2");
    let got = client.get_project(a).await.expect("get");
    let thread: Vec<_> = got
        .messages
        .iter()
        .map(|m| (m.message.clone().unwrap_or_default(), m.adminid))
        .collect();
    assert_eq!(
        thread,
        [
            ("Kick-off notes".to_string(), Some(1)),
            ("From Sam".to_string(), Some(2))
        ]
    );
    assert_eq!(got.messages[0].date, Some(at("2026-01-01 12:00:00")));

    let e = api_error(client.add_project_message(a, "").await);
    assert!(
        matches!(e, AddProjectMessageError::MessageNotEntered),
        "{e:?}"
    );
    let e = api_error(client.add_project_message(99, "x").await);
    assert!(
        matches!(e, AddProjectMessageError::ProjectNotFound),
        "{e:?}"
    );
    let e = api_error(client.add_project_message(a, "x").adminid(9).await);
    assert!(matches!(e, AddProjectMessageError::AdminNotFound), "{e:?}");
}

#[tokio::test]
async fn get_projects_filters_and_pages() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let pat = add_client(&client, "pat@example.com").await;
    for n in 0..4 {
        project(&client, &format!("Internal {n}")).await;
    }
    let theirs = client
        .create_project("Client work", 1)
        .userid(pat)
        .status("In Progress")
        .await
        .expect("create")
        .projectid;
    let done = client
        .create_project("Done", 1)
        .completed(true)
        .await
        .expect("create")
        .projectid;

    let ids = |r: &whmcs_api::actions::GetProjectsResponse| -> Vec<i64> {
        r.projects.iter().filter_map(|p| p.id).collect()
    };
    let of_pat = client.get_projects().userid(pat).await.expect("by client");
    assert_eq!(ids(&of_pat), [theirs]);
    let by_status = client
        .get_projects()
        .status("In Progress")
        .await
        .expect("by status");
    assert_eq!(ids(&by_status), [theirs]);
    let finished = client
        .get_projects()
        .completed(true)
        .await
        .expect("completed");
    assert_eq!(ids(&finished), [done]);
    let open = client.get_projects().completed(false).await.expect("open");
    assert_eq!(open.totalresults, Some(5));
    let titled = client
        .get_projects()
        .title("Internal 2")
        .await
        .expect("by title");
    assert_eq!(ids(&titled), [3]);
    let none = client.get_projects().adminid(2).await.expect("by admin");
    assert_eq!(none.totalresults, Some(0));
    let created = client
        .get_projects()
        .created("2026-01-01")
        .await
        .expect("by creation date");
    assert_eq!(created.totalresults, Some(6));

    let page = client
        .get_projects()
        .limitstart(4)
        .limitnum(4)
        .await
        .expect("page");
    assert_eq!(page.totalresults, Some(6));
    assert_eq!(page.startnumber, Some(4));
    assert_eq!(page.numreturned, Some(2));
    assert_eq!(ids(&page), [theirs, done]);
}

#[tokio::test]
async fn every_change_moves_last_modified() {
    let mock = MockServer::start().await.expect("mock");
    let client = mock.client().expect("client");
    let a = project(&client, "A").await;
    let modified = |c: Client| async move {
        c.get_project(a)
            .await
            .expect("get")
            .projectinfo
            .and_then(|i| i.lastmodified)
    };
    assert_eq!(
        modified(client.clone()).await,
        Some(at("2026-01-01 12:00:00"))
    );
    mock.advance_days(1);
    client
        .add_project_task(a, day("2026-02-01"))
        .task("t")
        .await
        .expect("task");
    assert_eq!(
        modified(client.clone()).await,
        Some(at("2026-01-02 12:00:00"))
    );
    mock.advance_days(1);
    client.add_project_message(a, "m").await.expect("message");
    assert_eq!(
        modified(client.clone()).await,
        Some(at("2026-01-03 12:00:00"))
    );
    mock.advance_days(1);
    client.start_task_timer(a, 1).await.expect("timer");
    assert_eq!(
        modified(client.clone()).await,
        Some(at("2026-01-04 12:00:00"))
    );
}

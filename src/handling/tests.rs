use super::*;
use std::str::FromStr;

fn subject(id: &str, outcome: &str, d: &str) -> Subject {
    let d = Decimal::from_str(d).unwrap();
    Subject {
        id: id.to_string(),
        domain: Domain::Transaction,
        outcome: outcome.to_string(),
        timing: outcome == "pending",
        d,
        label: if outcome == "pending" { None } else { crate::classify::label(d) },
        merchant: String::new(),
        key_field: "order_no".to_string(),
        key: format!("K-{id}"),
        date: NaiveDate::from_ymd_opt(2026, 3, 25),
    }
}

fn given(entries: &str) -> Handling {
    let mut h = Handling::default();
    h.add_file("res.json", entries.as_bytes()).expect("an array");
    h
}

#[test]
fn each_action_sets_its_state_and_bad_ones_are_rejected() {
    let subjects = [
        subject("a", "external_only", "5.00"),
        subject("b", "amount_mismatch", "-1.00"),
        subject("c", "pending", "3.00"),
        subject("d", "internal_only", "-2.00"),
        subject("e", "duplicate", "4.00"),
        subject("f", "status_mismatch", "-6.00"),
        subject("g", "amount_mismatch", "-7.00"),
    ];
    let h = given(
        r#"[{"id":"a","action":"create_order","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"b","action":"adjust","by":"li","at":"2026-03-26T09:01:00+08:00"},
            {"id":"c","action":"accept","by":"li","at":"2026-03-26 09:02:00"},
            {"id":"d","action":"suspend","note":"asked the channel","by":"li","at":"2026-03-26 09:03:00"},
            {"id":"a","action":"refund","by":"li","at":"2026-03-26 09:04:00"},
            {"id":"zz","action":"adjust","by":"li","at":"2026-03-26 09:05:00"},
            {"id":"e","action":"accept","by":"li","at":"2026-03-26 09:06:00"},
            {"id":"f","action":"write_off","by":"li","at":"2026-03-26 09:07:00"},
            {"id":"g","action":"adjust","by":"","at":"2026-03-26 09:08:00"},
            {"id":"g","action":"adjust","by":"li","at":"yesterday"},
            {"id":"d","action":"explode","by":"li","at":"2026-03-26 09:09:00"},
            {"id":"e","action":"create_order","by":"li","at":"2026-03-26 09:10:00"}]"#,
    );
    let applied = h.apply(&subjects);
    assert_eq!(applied.state_of("a").0, ItemState::Closed);
    assert_eq!(applied.state_of("b").0, ItemState::Closed);
    assert_eq!(applied.state_of("c").0, ItemState::Accepted);
    assert_eq!(applied.state_of("d").0, ItemState::Parked);
    for open in ["e", "f", "g"] {
        assert_eq!(applied.state_of(open).0, ItemState::Open, "{open}: every resolution of it was rejected");
    }
    assert_eq!(applied.chain.len(), 4);
    assert!(applied.chain.iter().all(|e| e.source == "res.json"));
    let reasons: Vec<&str> = applied.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(reasons.len(), 8, "{reasons:#?}");
    assert!(applied.issues.iter().all(|i| i.code == IssueCode::ResolutionRejected && i.file == "res.json"));
    // Index order: the entry that is no resolution is reported when the file is read, first.
    let expected = [
        ("resolution 10:", "explode"),
        ("resolution 4:", "a second resolution of \"a\" in this file (the first is resolution 0)"),
        ("resolution 5:", "no open item"),
        ("resolution 6:", "accept (确认) does not apply to a transaction duplicate item"),
        ("resolution 7:", "needs a note"),
        ("resolution 8:", "by is empty"),
        ("resolution 9:", "a second resolution of \"g\""),
        ("resolution 11:", "a second resolution of \"e\""),
    ];
    for ((reason, (index, why)), n) in reasons.iter().zip(expected).zip(0..) {
        assert!(reason.starts_with(index) && reason.contains(why), "reason {n}: {reason:?}, expected {index} {why}");
    }
    let report = applied.report(NaiveDate::from_ymd_opt(2026, 3, 28), 7, Decimal::from(9), Decimal::from(-16));
    assert_eq!(report.open, 5, "a and b closed; c accepted and d parked stay open");
    assert_eq!(report.resolved["create_order"], 1);
    assert_eq!(report.resolved["write_off"], 0);
    assert_eq!(report.open_long_total.to_string(), "4.00", "a's 5.00 closed, e's 4.00 open");
    assert_eq!(report.open_short_total.to_string(), "-15.00", "b's -1.00 closed");
    assert_eq!(report.suspense.len(), 1);
    assert_eq!(report.suspense[0].age_days, Some(3));
}

#[test]
fn later_files_win_per_item_and_each_resolution_says_its_file() {
    let subjects = [subject("a", "external_only", "5.00"), subject("b", "duplicate", "7.00")];
    let mut h = given(
        r#"[{"id":"a","action":"refund","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"b","action":"suspend","note":"ask","by":"li","at":"2026-03-26 09:01:00"}]"#,
    );
    h.add_file("later.json", br#"[{"id":"a","action":"create_order","by":"wang","at":"2026-03-26 10:00:00"}]"#)
        .expect("an array");
    let applied = h.apply(&subjects);
    let (state, resolution) = applied.state_of("a");
    assert_eq!(state, ItemState::Closed);
    let resolution = resolution.expect("a resolution");
    assert_eq!((resolution.action, resolution.source.as_str()), (Action::CreateOrder, "later.json"));
    assert_eq!(applied.state_of("b").1.expect("b's").source, "res.json");
    assert_eq!(applied.issues.len(), 1);
    assert!(applied.issues[0].message.contains("later file \"later.json\", which wins"), "{:?}", applied.issues);
}

#[test]
fn the_log_is_a_chain_and_any_edit_breaks_it() {
    let subjects = [subject("a", "external_only", "5.00"), subject("b", "duplicate", "7.00")];
    let h = given(
        r#"[{"id":"a","action":"refund","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"b","action":"write_off","note":"test order","by":"wang","at":"2026-03-26 09:01:00"}]"#,
    );
    let log = to_json_lines(&h.apply(&subjects).chain);
    assert_eq!(verify_log(&log).expect("intact").len(), 2);
    let text = String::from_utf8(log).unwrap();
    let edited = text.replace("7.00", "0.70");
    assert_eq!(verify_log(edited.as_bytes()).unwrap_err().line, 2);
    let edited = text.replace("\"li\"", "\"zhao\"");
    assert_eq!(verify_log(edited.as_bytes()).unwrap_err().line, 1);
    let lines: Vec<&str> = text.lines().collect();
    let dropped = format!("{}\n", lines[1]);
    assert_eq!(verify_log(dropped.as_bytes()).unwrap_err().line, 1);
    let swapped = format!("{}\n{}\n", lines[1], lines[0]);
    assert!(verify_log(swapped.as_bytes()).is_err());
    assert_eq!(verify_log(b"").expect("an empty log is intact").len(), 0);
}

/// Each day's export holds every earlier line: a series must continue line for line, so a history
/// rewritten from its first line and hashed again, intact on its own, is caught against an earlier
/// day's export.
#[test]
fn a_series_of_daily_logs_must_each_continue_the_one_before() {
    let subjects = [subject("a", "external_only", "5.00"), subject("b", "duplicate", "7.00")];
    let h = given(
        r#"[{"id":"a","action":"refund","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"b","action":"write_off","note":"test order","by":"wang","at":"2026-03-27 09:01:00"}]"#,
    );
    let chain = h.apply(&subjects).chain;
    let (day1, day2) = (to_json_lines(&chain[..1]), to_json_lines(&chain));
    assert_eq!(verify_logs(&[&day1, &day2]).expect("a series"), [1, 2]);
    assert_eq!(verify_logs(&[&day2, &day2]).expect("no new line is fine"), [2, 2]);
    let (n, b) = verify_logs(&[&day2, &day1]).expect_err("newest first");
    assert_eq!((n, b.line), (1, 2), "{}", b.reason);
    let mut forged = chain.clone();
    forged[0].by = "zhao".to_string();
    forged[0].hash = forged[0].own_hash();
    forged[1].prev = forged[0].hash.clone();
    forged[1].hash = forged[1].own_hash();
    let forged = to_json_lines(&forged);
    assert_eq!(verify_log(&forged).expect("intact on its own").len(), 2);
    let (n, b) = verify_logs(&[&day1, &forged]).expect_err("rewritten");
    assert_eq!((n, b.line), (1, 1));
    assert!(b.reason.contains("rewritten"), "{}", b.reason);
}

#[test]
fn carried_log_applies_again_and_closed_stays_closed() {
    let subjects = [subject("a", "external_only", "5.00"), subject("d", "internal_only", "-2.00")];
    let day1 = given(
        r#"[{"id":"a","action":"refund","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"d","action":"suspend","note":"wait","by":"li","at":"2026-03-26 09:01:00"}]"#,
    )
    .apply(&subjects);
    let mut day2 = given(r#"[{"id":"a","action":"adjust","by":"li","at":"2026-03-27 09:00:00"}]"#);
    day2.carry_in(day1.chain.clone());
    // Day 2's files hold neither item: `d` stays open from the log, `a` stays closed.
    let applied = day2.apply(&[]);
    assert_eq!(applied.state_of("a").0, ItemState::Closed);
    assert_eq!(applied.issues.len(), 1, "closed items take no further action");
    let report = applied.report(NaiveDate::from_ymd_opt(2026, 3, 27), 0, Decimal::ZERO, Decimal::ZERO);
    assert_eq!(report.open, 1);
    assert_eq!(report.carried_open[0].id, "d");
    assert_eq!(report.carried_open[0].resolution.note, "wait");
    assert_eq!(report.open_short_total.to_string(), "-2.00");
}

#[test]
fn a_file_that_is_no_array_is_an_error() {
    let mut h = Handling::default();
    let err = h.add_file("res.json", b"{\"id\": 1}").unwrap_err();
    assert_eq!(err.code(), "invalid_argument");
}

#[test]
fn timestamps_are_checked_as_chrono_checks_them() {
    let cases = [
        "2026-03-25 09:00:00",
        "2026-03-25T09:00:00+08:00",
        "2026-03-25T09:00:00Z",
        "2026-03-25t09:00:00z",
        "2026-03-25T09:00:00.123-05:30",
        "2026-02-29T09:00:00Z",
        "2024-02-29 23:59:59",
        "2026-03-25T24:00:00Z",
        "2026-03-25T09:60:00Z",
        "2026-13-25T09:00:00Z",
        "2026-03-25T09:00:00",
        "2026-03-25T09:00:00+8:00",
        "2026-03-25T09:00:00+24:00",
        "2026-03-25T09:00:00.Z",
        "2026-03-25 09:00:00Z",
        "2026-03-25 09:00",
        "2026/03/25 09:00:00",
        "yesterday",
        "",
        "2026-03-25T09:00:00+08:00 ",
        "２026-03-25 09:00:00",
    ];
    for at in cases {
        let chrono = chrono::DateTime::parse_from_rfc3339(at).is_ok()
            || chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M:%S").is_ok_and(|_| at.len() == 19);
        assert_eq!(is_timestamp(at), chrono, "{at:?}");
    }
}

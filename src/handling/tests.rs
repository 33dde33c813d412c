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
    ];
    let h = given(
        r#"[{"id":"a","action":"create_order","by":"li","at":"2026-03-26 09:00:00"},
            {"id":"b","action":"adjust","by":"li","at":"2026-03-26T09:01:00+08:00"},
            {"id":"c","action":"accept","by":"li","at":"2026-03-26 09:02:00"},
            {"id":"d","action":"suspend","note":"asked the channel","by":"li","at":"2026-03-26 09:03:00"},
            {"id":"a","action":"refund","by":"li","at":"2026-03-26 09:04:00"},
            {"id":"zz","action":"adjust","by":"li","at":"2026-03-26 09:05:00"},
            {"id":"b","action":"accept","by":"li","at":"2026-03-26 09:06:00"},
            {"id":"d","action":"write_off","by":"li","at":"2026-03-26 09:07:00"},
            {"id":"d","action":"adjust","by":"","at":"2026-03-26 09:08:00"},
            {"id":"d","action":"adjust","by":"li","at":"yesterday"},
            {"id":"d","action":"explode","by":"li","at":"2026-03-26 09:09:00"},
            {"id":"c","action":"create_order","by":"li","at":"2026-03-26 09:10:00"}]"#,
    );
    let applied = h.apply(&subjects);
    assert_eq!(applied.state_of("a").0, ItemState::Closed);
    assert_eq!(applied.state_of("b").0, ItemState::Closed);
    assert_eq!(applied.state_of("c").0, ItemState::Accepted);
    assert_eq!(applied.state_of("d").0, ItemState::Parked);
    assert_eq!(applied.chain.len(), 4);
    let reasons: Vec<&str> = applied.issues.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(reasons.len(), 8, "{reasons:#?}");
    assert!(applied.issues.iter().all(|i| i.code == IssueCode::ResolutionRejected && i.file == "res.json"));
    // Index order: the entry that is no resolution is reported when the file is read, first.
    assert!(reasons[0].starts_with("resolution 10:") && reasons[0].contains("explode"), "{reasons:?}");
    assert!(reasons[1].contains("already closed"), "{reasons:?}");
    assert!(reasons[2].contains("no open item"), "{reasons:?}");
    assert!(reasons[3].contains("\"b\" is already closed"), "{reasons:?}");
    assert!(reasons[4].contains("needs a note"), "{reasons:?}");
    assert!(reasons[5].contains("by is empty"), "{reasons:?}");
    assert!(reasons[6].contains("not a timestamp"), "{reasons:?}");
    assert!(reasons[7].contains("create_order"), "{reasons:?}");
    let report = applied.report(NaiveDate::from_ymd_opt(2026, 3, 28), 4, Decimal::from(5), Decimal::from(-3));
    assert_eq!(report.open, 2);
    assert_eq!(report.resolved["create_order"], 1);
    assert_eq!(report.resolved["write_off"], 0);
    assert_eq!(report.open_long_total.to_string(), "0.00");
    assert_eq!(report.open_short_total.to_string(), "-2.00");
    assert_eq!(report.suspense.len(), 1);
    assert_eq!(report.suspense[0].age_days, Some(3));
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

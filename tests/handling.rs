//! 差错处理 end to end through the public API and the CLI: stable ids, each action, rejected
//! resolutions, three days in a row with the audit log carried, and an edited log failing.
#![cfg(not(target_arch = "wasm32"))]

use duizhang::{parse_date, Input, InputKind, ItemState, Profile, Reconciliation, Report, SAMPLE_DAY};
use std::collections::BTreeSet;
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn sample_profile() -> Profile {
    Profile::from_json(duizhang::SAMPLE_PROFILE).expect("profile")
}

/// The sample day's data rows in reverse order; title, header and total rows stay in place.
fn reversed(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.contains("商户订单号")).expect("a header");
    let end = lines.iter().rposition(|l| !l.starts_with("合计")).expect("rows") + 1;
    let mut data = lines[header + 1..end].to_vec();
    data.reverse();
    let all: Vec<&str> = lines[..=header].iter().chain(&data).chain(&lines[end..]).copied().collect();
    format!("{}\n", all.join("\n")).into_bytes()
}

fn sample_run(reverse: bool, resolutions: Option<&str>) -> Reconciliation {
    let mut run = Reconciliation::new(sample_profile());
    for file in SAMPLE_DAY {
        let bytes = if reverse { reversed(file.bytes) } else { file.bytes.to_vec() };
        run.add(Input::new(file.input, file.name, bytes)).expect("reads");
    }
    if let Some(r) = resolutions {
        run.add(Input::new(InputKind::Resolutions, "resolutions.json", r.as_bytes().to_vec())).expect("array");
    }
    run.run(None).expect("runs");
    run
}

fn ids(report: &Report) -> BTreeSet<(String, String)> {
    report.exceptions.iter().map(|e| (e.id.clone(), e.class.code().to_string())).collect()
}

#[test]
fn transaction_ids_are_the_same_in_any_row_order_and_unique() {
    let forward = sample_run(false, None);
    let backward = sample_run(true, None);
    let a = ids(forward.report().expect("report"));
    assert_eq!(a, ids(backward.report().expect("report")));
    assert_eq!(a.len(), forward.report().expect("report").exceptions.len(), "ids are unique");
    assert!(a.iter().all(|(id, _)| id.starts_with("tx:")), "{a:?}");
    // The page's lazy pages give the same ids as the whole report.
    let page = forward.exceptions_page(0, 1000, None).expect("page");
    assert_eq!(page.rows.iter().map(|e| e.id.clone()).collect::<Vec<_>>().len(), a.len());
}

#[test]
fn resolutions_close_park_and_reject_with_reasons() {
    let plain = sample_run(false, None);
    let report = plain.report().expect("report");
    let of = |class: &str| report.exceptions.iter().find(|e| e.class == class).map(|e| e.id.clone());
    let external = of("external_only").expect("an external_only item");
    let mismatch = of("amount_mismatch").expect("an amount_mismatch item");
    let internal = of("internal_only").expect("an internal_only item");
    let resolutions = format!(
        r#"[{{"id":"{external}","action":"create_order","note":"order lost in sync","by":"li","at":"2024-03-16 09:00:00"}},
            {{"id":"{mismatch}","action":"adjust","by":"li","at":"2024-03-16 09:01:00"}},
            {{"id":"{internal}","action":"suspend","note":"asked the channel","by":"li","at":"2024-03-16 09:02:00"}},
            {{"id":"{internal}","action":"accept","by":"li","at":"2024-03-16 09:03:00"}},
            {{"id":"tx:0000000000000000","action":"adjust","by":"li","at":"2024-03-16 09:04:00"}}]"#
    );
    let mut run = sample_run(false, Some(&resolutions));
    let report = run.report().expect("report");
    let state = |id: &str| report.exceptions.iter().find(|e| e.id == id).map(|e| e.state);
    assert_eq!(state(&external), Some(ItemState::Closed));
    assert_eq!(state(&mismatch), Some(ItemState::Closed));
    assert_eq!(state(&internal), Some(ItemState::Parked));
    let rejected: Vec<&str> = report
        .issues
        .iter()
        .filter(|i| i.code == duizhang::IssueCode::ResolutionRejected)
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert!(rejected[0].starts_with("resolution 3: a second resolution"), "{rejected:?}");
    assert!(rejected[1].starts_with("resolution 4:") && rejected[1].contains("no open item"), "{rejected:?}");
    let handling = report.handling.as_ref().expect("a handling section");
    assert_eq!(report.summary.open, Some(handling.open), "the summary says what is still open");
    assert_eq!(report.summary.resolved.as_ref().map(|r| r["create_order"]), Some(1));
    assert_eq!(report.summary.open_long_total, Some(handling.open_long_total));
    assert!(plain.report().expect("report").summary.open.is_none(), "no resolutions: no handling fields");
    let open_before =
        plain.report().expect("report").exceptions.iter().filter(|e| e.class != "matched_within_tolerance");
    assert_eq!(handling.open, open_before.count() as u64 - 2, "two closed, the parked one still open");
    assert_eq!(handling.resolved["create_order"], 1);
    assert_eq!(handling.suspense.len(), 1);
    // The documents: the order to create, the adjusting entry with its accounts.
    let documents = run.documents().expect("documents");
    assert_eq!(documents.orders.len(), 1);
    assert_eq!(documents.orders[0].note, "order lost in sync");
    assert_eq!(documents.orders[0].merchant, "1230000110", "read back from the bill's row");
    assert_eq!(documents.adjustments.len(), 1);
    let entry = &documents.adjustments[0];
    assert!(entry.debit == "银行存款" || entry.credit == "银行存款", "{entry:?}");
    let csv = String::from_utf8(documents.csv(duizhang::DocumentKind::Orders)).expect("utf-8");
    assert!(csv.starts_with('\u{feff}') && csv.contains(&external), "{csv}");
    let log = run.audit_log().expect("log");
    assert_eq!(duizhang::verify_log(&log).expect("intact").len(), 3);
    // Exported lines cannot be undone; before export they can.
    assert!(run.unresolve(&internal).is_err());
}

#[test]
fn api_resolve_and_unresolve_before_export() {
    let mut run = sample_run(false, None);
    let id =
        run.report().expect("report").exceptions.iter().find(|e| e.class == "external_only").expect("one").id.clone();
    let resolution = |action: &str| duizhang::Resolution {
        id: id.clone(),
        action: duizhang::Action::from_code(action).expect("action"),
        note: String::new(),
        by: "li".to_string(),
        at: "2024-03-16T09:00:00+08:00".to_string(),
    };
    let err = run.resolve(resolution("accept")).expect_err("accept is for timing items");
    assert!(err.to_string().contains("does not apply"), "{err}");
    let report = run.resolve(resolution("refund")).expect("refund");
    assert_eq!(report.exceptions.iter().find(|e| e.id == id).map(|e| e.state), Some(ItemState::Closed));
    assert_eq!(report.issues.iter().filter(|i| i.code == duizhang::IssueCode::ResolutionRejected).count(), 0);
    let report = run.unresolve(&id).expect("undo before export");
    assert_eq!(report.exceptions.iter().find(|e| e.id == id).map(|e| e.state), Some(ItemState::Open));
    assert!(run.audit_log().expect("log").is_empty());
}

fn fund_profile() -> Profile {
    Profile::from_json(duizhang::SAMPLE_FUND_FLOW_PROFILE).expect("profile")
}

/// One day of the fund-flow fixtures: the statement and payouts, yesterday's state, resolutions.
/// Day 0 (`with_files`) has the fixture files; later days only a statement of that day with
/// interest and the `late` lines (credits arriving late), so the books move on.
fn fund_day(date: &str, state: Option<&[u8]>, resolutions: &str, with_files: bool, late: &str) -> Reconciliation {
    let mut run = Reconciliation::new(fund_profile());
    if with_files {
        run.add(Input::new(InputKind::Channel, "channel.csv", fixture("bank/channel.csv"))).expect("channel");
        run.add(Input::new(InputKind::Bank, "statement.csv", fixture("bank/statement_corporate.csv"))).expect("bank");
        run.add(Input::new(InputKind::Payouts, "payouts.csv", fixture("bank/payouts.csv"))).expect("payouts");
    } else {
        let statement = format!("交易日期,贷方发生额,借方发生额,余额,摘要\n{late}{date},0.01,,,利息\n");
        run.add(Input::new(InputKind::Bank, "statement.csv", statement.into_bytes())).expect("bank");
    }
    if let Some(state) = state {
        run.add(Input::new(InputKind::Carry, "state.json", state.to_vec())).expect("state");
    }
    run.add(Input::new(InputKind::Resolutions, "r.json", resolutions.as_bytes().to_vec())).expect("resolutions");
    run.run(Some(parse_date(date).expect("date"))).expect("runs");
    run
}

#[test]
fn three_days_in_a_row_nothing_lost_and_closed_never_reopens() {
    let day0 = fund_day("2026-03-25", None, "[]", true, "");
    let flow = day0.report().expect("report").fund_flow.clone().expect("fund flow");
    let find = |outcome: &str, d: &str| {
        flow.exceptions.iter().find(|e| e.outcome.code() == outcome && e.d.to_string() == d).expect("item").id.clone()
    };
    let credit = find("unexplained_movement", "88.00");
    let debit = find("unexplained_movement", "-12.50");
    let payout = find("in_transit", "300.00");
    let batch = find("in_transit", "-994.00");
    // Day 1: refund the unexplained credit, park the debit, accept the payout and the settlement
    // in transit.
    let day1 = fund_day(
        "2026-03-25",
        None,
        &format!(
            r#"[{{"id":"{credit}","action":"refund","note":"not ours","by":"li","at":"2026-03-25 18:00:00"}},
                {{"id":"{debit}","action":"suspend","note":"bank fee?","by":"li","at":"2026-03-25 18:01:00"}},
                {{"id":"{payout}","action":"accept","by":"li","at":"2026-03-25 18:02:00"}},
                {{"id":"{batch}","action":"accept","note":"T+1, due tomorrow","by":"li","at":"2026-03-25 18:03:00"}}]"#
        ),
        true,
        "",
    );
    let flow1 = day1.report().expect("report").fund_flow.clone().expect("fund flow");
    let parked = flow1.exceptions.iter().find(|e| e.id == debit).expect("the parked debit");
    assert_eq!(parked.state, ItemState::Parked);
    assert_eq!(parked.resolution.as_ref().map(|r| r.note.as_str()), Some("bank fee?"));
    assert_eq!(day1.documents().expect("documents").refunds.len(), 1);
    let state1 = day1.carry_out().expect("state");
    assert!(!state1.items.iter().any(|i| i.id == credit), "a closed item is not carried");
    assert!(state1.items.iter().any(|i| i.id == debit) && state1.items.iter().any(|i| i.id == payout));
    assert_eq!(state1.audit.len(), 4);
    // Day 2: the log is applied again; write the parked debit off. The settlement's credit arrives
    // late and closes it by itself.
    let day2 = fund_day(
        "2026-03-26",
        Some(&state1.to_json()),
        &format!(
            r#"[{{"id":"{debit}","action":"write_off","note":"bank fee, booked","by":"wang","at":"2026-03-26 10:00:00"}},
                    {{"id":"{credit}","action":"adjust","by":"wang","at":"2026-03-26 10:01:00"}}]"#
        ),
        false,
        "2026-03-26,994.00,,,微信支付结算 商户号2088101122334455 20260324\n",
    );
    let report2 = day2.report().expect("report");
    let handling2 = report2.handling.as_ref().expect("handling");
    assert_eq!(handling2.log_lines, 5, "yesterday's four lines and today's one");
    assert_eq!(
        handling2.closed_by_matching,
        std::slice::from_ref(&batch),
        "the late credit closed the accepted settlement"
    );
    assert_eq!(handling2.rejected, 1, "the refunded credit is closed: no further action");
    let flow2 = report2.fund_flow.as_ref().expect("fund flow");
    let state_of = |id: &str| flow2.exceptions.iter().find(|e| e.id == id).map(|e| e.id.clone());
    assert_eq!(state_of(&credit), None, "closed yesterday, never back");
    assert!(state_of(&payout).is_some(), "the accepted payout is still open");
    assert_eq!(state_of(&batch), None, "matched by the late credit");
    // Yesterday's refund was yesterday's document: it is not listed again.
    assert!(day2.documents().expect("documents").refunds.is_empty());
    let state2 = day2.carry_out().expect("state");
    assert!(!state2.items.iter().any(|i| i.id == debit), "written off: not carried");
    assert!(!state2.items.iter().any(|i| i.id == batch), "matched: not carried");
    // Day 3: nothing new; the chain goes on intact and the payout is still carried.
    let day3 = fund_day("2026-03-27", Some(&state2.to_json()), "[]", false, "");
    let state3 = day3.carry_out().expect("state");
    assert_eq!(state3.audit.len(), 5, "the settlement's resolution stays in the log");
    assert!(state3.items.iter().any(|i| i.id == payout), "nothing lost");
    assert!(!state3.items.iter().any(|i| [&credit, &debit, &batch].contains(&&i.id)), "nothing resurrected");
    let flow3 = day3.report().expect("report").fund_flow.clone().expect("fund flow");
    assert!(!flow3.exceptions.iter().any(|e| [&credit, &debit, &batch].contains(&&e.id)), "nothing resurrected");
    let log = duizhang::audit_json_lines(&state3.audit);
    assert_eq!(duizhang::verify_log(&log).expect("intact").len(), 5);
    // A state file whose log was edited is refused.
    let edited = String::from_utf8(state3.to_json()).expect("utf-8").replace("bank fee, booked", "nothing");
    let mut run = Reconciliation::new(fund_profile());
    let err = run.add(Input::new(InputKind::Carry, "state.json", edited.into_bytes())).expect_err("refused");
    assert!(err.to_string().contains("does not verify"), "{err}");
}

#[test]
fn the_cli_writes_the_log_and_verifies_it() {
    let dir = std::env::temp_dir().join(format!("duizhang-handling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let plain = sample_run(false, None);
    let id =
        plain.report().expect("report").exceptions.iter().find(|e| e.class == "external_only").expect("one").id.clone();
    // Named as `sample_run` names it: the report says which file each resolution came from.
    let resolutions = dir.join("resolutions.json");
    std::fs::write(
        &resolutions,
        format!(r#"[{{"id":"{id}","action":"create_order","by":"li","at":"2024-03-16 09:00:00"}}]"#),
    )
    .expect("write");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample");
    let log = dir.join("audit.jsonl");
    let documents = dir.join("documents");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(["reconcile", "--internal"])
        .arg(root.join("orders.csv"))
        .arg("--channel")
        .arg(root.join("channel.csv"))
        .arg("--profile")
        .arg(root.join("profile.json"))
        .arg("--resolutions")
        .arg(&resolutions)
        .arg("--audit-out")
        .arg(&log)
        .arg("--documents-out")
        .arg(&documents)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["handling"]["resolved"]["create_order"], 1);
    // The same report as the API from the same resolutions.
    let mut run = sample_run(false, Some(&std::fs::read_to_string(&resolutions).expect("read")));
    assert_eq!(run.report().expect("report").to_json().trim(), String::from_utf8_lossy(&out.stdout).trim());
    assert_eq!(std::fs::read(&log).expect("log"), run.audit_log().expect("log"));
    assert!(std::fs::read_to_string(documents.join("orders.csv")).expect("orders").contains(&id));
    let verify = |path: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_duizhang"))
            .args(["audit", "verify"])
            .arg(path)
            .output()
            .expect("runs")
    };
    assert_eq!(verify(&log).status.code(), Some(0));
    // A series of exports, oldest first (here the same day twice: it continues itself).
    let series = std::process::Command::new(env!("CARGO_BIN_EXE_duizhang"))
        .args(["audit", "verify"])
        .args([&log, &log])
        .output()
        .expect("runs");
    assert_eq!(series.status.code(), Some(0), "{}", String::from_utf8_lossy(&series.stdout));
    assert!(String::from_utf8_lossy(&series.stdout).contains("each log continues the one before it"));
    let edited = std::fs::read_to_string(&log).expect("log").replace("\"li\"", "\"zhao\"");
    std::fs::write(&log, edited).expect("write");
    let out = verify(&log);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("line 1"), "{}", String::from_utf8_lossy(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

fn platform(path: &str) -> Vec<u8> {
    fixture(&format!("platform/{path}"))
}

/// The platform month (WeChat service-provider bills, the internal account, payouts) with a
/// clearing profile, the bills under `bills_name`.
fn platform_month(bills_name: &str, resolutions: Option<&str>) -> Reconciliation {
    let profile = Profile::from_json(&String::from_utf8(platform("profile.json")).expect("utf-8")).expect("profile");
    let mut run = Reconciliation::new(profile);
    run.add(Input::new(InputKind::Channel, bills_name, platform("wechat_sp_202603.zip"))).expect("bills");
    for (kind, name) in
        [(InputKind::Bank, "internal_account_202603_gbk.csv"), (InputKind::Payouts, "payouts_202603.csv")]
    {
        run.add(Input::new(kind, name, platform(name))).expect("reads");
    }
    if let Some(r) = resolutions {
        run.add(Input::new(InputKind::Resolutions, "r.json", r.as_bytes().to_vec())).expect("array");
    }
    run.run(Some(parse_date("2026-03-31").expect("date"))).expect("runs");
    run
}

#[test]
fn fee_mismatches_have_ids_and_an_adjustment_books_the_fee() {
    let plain = platform_month("wechat_sp_202603.zip", None);
    let clearing = plain.report().expect("report").clearing.clone().expect("clearing");
    let ids: BTreeSet<String> = clearing.exceptions.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), clearing.exceptions.len(), "unique");
    assert!(ids.len() >= 2 && ids.iter().all(|id| id.starts_with("fee:")), "{ids:?}");
    let renamed = platform_month("bills-renamed.zip", None);
    let again: BTreeSet<String> = renamed
        .report()
        .expect("report")
        .clearing
        .as_ref()
        .expect("clearing")
        .exceptions
        .iter()
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(ids, again, "a renamed file gives the same ids");

    let (first, second) = (&clearing.exceptions[0], &clearing.exceptions[1]);
    let resolutions = format!(
        r#"[{{"id":"{}","action":"adjust","note":"channel refunds the overcharge","by":"li","at":"2026-04-01 09:00:00"}},
            {{"id":"{}","action":"suspend","note":"asked the channel","by":"li","at":"2026-04-01 09:01:00"}},
            {{"id":"{}","action":"create_order","by":"li","at":"2026-04-01 09:02:00"}}]"#,
        first.id, second.id, second.id
    );
    let run = platform_month("wechat_sp_202603.zip", Some(&resolutions));
    let report = run.report().expect("report");
    let state = |id: &str| {
        let e = report.clearing.as_ref().expect("clearing").exceptions.iter().find(|e| e.id == id).expect("item");
        (e.state, e.resolution.as_ref().map(|r| r.source.clone()))
    };
    assert_eq!(state(&first.id), (ItemState::Closed, Some("r.json".to_string())));
    assert_eq!(state(&second.id).0, ItemState::Parked);
    let rejected: Vec<&str> = report
        .issues
        .iter()
        .filter(|i| i.code == duizhang::IssueCode::ResolutionRejected)
        .map(|i| i.message.as_str())
        .collect();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].starts_with("resolution 2: a second resolution"), "{rejected:?}");
    let documents = run.documents().expect("documents");
    assert_eq!(documents.adjustments.len(), 1);
    let entry = &documents.adjustments[0];
    assert!(entry.debit == "财务费用-手续费" || entry.credit == "财务费用-手续费", "{entry:?}");
    assert_eq!(entry.amount.0, first.d.0.abs());
}

#[test]
fn an_api_resolution_that_is_rejected_leaves_the_earlier_one_standing() {
    let mut run = sample_run(false, None);
    let id =
        run.report().expect("report").exceptions.iter().find(|e| e.class == "internal_only").expect("one").id.clone();
    let resolution = |action: &str, note: &str| duizhang::Resolution {
        id: id.clone(),
        action: duizhang::Action::from_code(action).expect("action"),
        note: note.to_string(),
        by: "li".to_string(),
        at: "2024-03-16 09:00:00".to_string(),
    };
    run.resolve(resolution("suspend", "asked the channel")).expect("suspend");
    assert!(run.resolve(resolution("accept", "")).is_err(), "accept is for timing items");
    let report = run.report().expect("report");
    let item = report.exceptions.iter().find(|e| e.id == id).expect("item");
    assert_eq!(item.state, ItemState::Parked);
    assert_eq!(item.resolution.as_ref().map(|r| r.source.as_str()), Some("api"));
    assert_eq!(run.resolutions().len(), 1);
}

#[test]
fn a_state_file_from_before_content_ids_is_read_and_says_so() {
    let day0 = fund_day("2026-03-25", None, "[]", true, "");
    let state = day0.carry_out().expect("state");
    // Rewrite the movements' and payouts' ids the way the earlier version wrote them.
    let mut json: serde_json::Value = serde_json::from_slice(&state.to_json()).expect("json");
    let mut rewritten = 0;
    for item in json["items"].as_array_mut().expect("items") {
        let prefix = match item["kind"].as_str() {
            Some("movement") => "bank",
            Some("payout") => "payout",
            _ => continue,
        };
        let old = format!("{prefix}:{}:{}", item["file"].as_str().unwrap_or_default(), item["line"]);
        item["id"] = serde_json::Value::String(old);
        rewritten += 1;
    }
    assert!(rewritten > 0);
    let old = serde_json::to_vec(&json).expect("bytes");
    let read = duizhang::CarryState::from_json("old_state.json", &old).expect("read");
    assert_eq!(read.ids_assigned, rewritten);
    for (now, then) in read.items.iter().zip(&state.items) {
        match now.kind {
            // A payout's id is all content the state file keeps: exactly today's.
            duizhang::CarriedKind::Payout | duizhang::CarriedKind::Batch => assert_eq!(now.id, then.id),
            // The time of a movement was not kept: an id of its own, still a content id.
            duizhang::CarriedKind::Movement => assert!(now.id.starts_with("bank:") && !now.id.contains(".csv")),
        }
    }
    let day1 = fund_day("2026-03-26", Some(&old), "[]", false, "");
    let report = day1.report().expect("report");
    let note = report.issues.iter().find(|i| i.code == duizhang::IssueCode::IdsAssigned).expect("a note");
    assert_eq!(note.file, "state.json");
    assert!(note.message.contains(&format!("{rewritten} movements and payouts")), "{}", note.message);
}

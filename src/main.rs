//! The `duizhang` command: a thin shell over the core. Parses arguments, reads files, prints JSON.
//!
//! Exit codes: 0 the run completed (discrepancies or not); 1 an input was unusable (one line on
//! stderr: `duizhang: <code>: <file>:<line>: <message>`); 2 the command line was wrong.

use duizhang::{
    inspect, parse_amount, parse_date, verify_logs, CarryState, DocumentKind, Error, ErrorKind, FileSource, Format,
    Input, InputKind, Inspection, Profile, Reconciliation, Source,
};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage: duizhang reconcile --internal FILE --channel FILE [--channel FILE ...] [--profile FILE] [--date YYYY-MM-DD]
                          [--format FORMAT] [--bank FILE ...] [--payouts FILE ...]
                          [--book-balance AMOUNT|FILE] [--carry-in FILE] [--carry-out FILE] [--xlsx-out FILE]
                          [--clearing-csv FILE] [--resolutions FILE ...] [--audit-out FILE]
                          [--documents-out DIR]
       duizhang reconcile --bank FILE ... [--channel FILE ...] [--payouts FILE ...] [...]
       duizhang reconcile --channel FILE ... --profile FILE   (a profile with a clearing section)
       duizhang audit verify FILE...
       duizhang inspect [--profile FILE] [--format FORMAT] FILE...
       duizhang --version

reconcile: reconciles a merchant's order export against channel bills (CSV, .gz, .zip) and prints
the report JSON on stdout. With --bank (bank statement CSV, repeatable) it also reconciles fund flow
(settlements against bank credits, --payouts against debits) and balances (--book-balance: an amount
or a sub-ledger CSV); --internal is then optional. --carry-in reads the open items of the previous
run, --carry-out writes this run's open items. --xlsx-out also writes the report as an Excel workbook.
--clearing-csv writes the settlement statement (结算单): a line per merchant and settlement date, from
the report's clearing section (a profile's `clearing` section or a bank/payout input makes one).
--resolutions (repeatable) applies 差错处理: a JSON array of {id, action, note, by, at} for the
report's item ids (actions: create_order, refund, adjust, suspend, write_off, accept); a rejected one is
an issue `resolution_rejected`. --audit-out writes the hash-chained audit log (JSON lines; --carry-out
carries it on); --documents-out writes orders.csv, refunds.csv, adjustments.csv, suspense.csv and
documents.json into DIR. audit verify: exit 0 when the log is intact, 1 naming the first bad
line; given several logs, oldest first (each day's export), each must also begin with every line of
the one before.
inspect: prints what each file was read as, without reconciling: one JSON object {name, format,
variant, encoding, rows, skipped, issues, checks}, or an array of them when several files (or an
archive) were given; an unusable file is {name, error: {code, message}}.
--format forces the layout of channel files (and of inspected files): generic_csv, wechat_trade,
wechat_fund_flow, alipay_trade, alipay_summary, alipay_account_flow, unionpay_zm, bank_statement.
Exit 0 when the run completed, discrepancies or not; 1 on an unusable input; 2 on a usage error.";

struct Arguments {
    internal: Vec<String>,
    channel: Vec<String>,
    profile: Option<String>,
    date: Option<String>,
    format: Option<Format>,
    /// Files given without a flag (inspect).
    files: Vec<String>,
    bank: Vec<String>,
    payouts: Vec<String>,
    book_balance: Option<String>,
    carry_in: Option<String>,
    carry_out: Option<String>,
    xlsx_out: Option<String>,
    clearing_csv: Option<String>,
    resolutions: Vec<String>,
    audit_out: Option<String>,
    documents_out: Option<String>,
}

fn parse_arguments(args: &[String]) -> Result<Arguments, String> {
    let mut parsed = Arguments {
        internal: Vec::new(),
        channel: Vec::new(),
        profile: None,
        date: None,
        format: None,
        files: Vec::new(),
        bank: Vec::new(),
        payouts: Vec::new(),
        book_balance: None,
        carry_in: None,
        carry_out: None,
        xlsx_out: None,
        clearing_csv: None,
        resolutions: Vec::new(),
        audit_out: None,
        documents_out: None,
    };
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--internal" => parsed.internal.push(value()?),
            "--channel" => parsed.channel.push(value()?),
            "--profile" => parsed.profile = Some(value()?),
            "--date" => parsed.date = Some(value()?),
            "--format" => {
                let code = value()?;
                parsed.format = Some(Format::from_code(&code).ok_or_else(|| format!("unknown format {code:?}"))?);
            }
            "--bank" => parsed.bank.push(value()?),
            "--payouts" => parsed.payouts.push(value()?),
            "--book-balance" => parsed.book_balance = Some(value()?),
            "--carry-in" => parsed.carry_in = Some(value()?),
            "--carry-out" => parsed.carry_out = Some(value()?),
            "--clearing-csv" => parsed.clearing_csv = Some(value()?),
            "--resolutions" => parsed.resolutions.push(value()?),
            "--audit-out" => parsed.audit_out = Some(value()?),
            "--documents-out" => parsed.documents_out = Some(value()?),
            "--xlsx-out" if cfg!(all(feature = "sheets", not(target_arch = "wasm32"))) => {
                parsed.xlsx_out = Some(value()?)
            }
            "--xlsx-out" => return Err("--xlsx-out needs a build with the `sheets` feature (the default)".into()),
            other if other.starts_with("--") => return Err(format!("unknown argument {other:?}")),
            file => parsed.files.push(file.to_string()),
        }
    }
    Ok(parsed)
}

/// A file to reconcile, opened for reading in chunks (the way the page reads a `File`).
fn open_file(path: &str) -> Result<Source, Error> {
    let file = FileSource::open(Path::new(path))
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {path}: {e}")).in_file(file_name(path)))?;
    Ok(Source::External(Box::new(file)))
}

fn read_file(path: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path)
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {path}: {e}")).in_file(file_name(path)))
}

/// An output file's error: an `io` error naming the file.
fn cannot_write(path: &str, e: &dyn std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write {path}: {e}")).in_file(file_name(path))
}

/// Writes an output file (--carry-out, --clearing-csv, --xlsx-out).
fn write_out(path: &str, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| cannot_write(path, &e))
}

/// The name a file is reported under: its base name, as the browser page would see it.
fn file_name(path: &str) -> String {
    Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string())
}

fn load_profile(arguments: &Arguments) -> Result<Profile, Error> {
    let mut profile = match &arguments.profile {
        Some(path) => {
            let bytes = read_file(path)?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::new(ErrorKind::InvalidProfile, "the profile is not UTF-8").in_file(file_name(path))
            })?;
            Profile::from_json(&text).map_err(|e| e.in_file(file_name(path)))?
        }
        None => Profile::default(),
    };
    if arguments.format.is_some() {
        profile.format = arguments.format;
    }
    Ok(profile)
}

fn reconcile(arguments: &Arguments) -> Result<String, Error> {
    let profile = load_profile(arguments)?;
    let date = arguments.date.as_deref().map(parse_date).transpose()?;
    let mut run = Reconciliation::new(profile);
    let inputs = [
        (InputKind::Internal, &arguments.internal),
        (InputKind::Channel, &arguments.channel),
        (InputKind::Bank, &arguments.bank),
        (InputKind::Payouts, &arguments.payouts),
    ];
    for (kind, paths) in inputs {
        for path in paths {
            run.add(Input::new(kind, file_name(path), open_file(path)?))?;
        }
    }
    if let Some(book) = &arguments.book_balance {
        // An amount, or else the path of a sub-ledger CSV (分户账).
        match parse_amount(book) {
            Ok(amount) => run.set_book_balance(Some(amount))?,
            Err(_) => drop(run.add(Input::new(InputKind::SubLedger, file_name(book), open_file(book)?))?),
        }
    }
    if let Some(path) = &arguments.carry_in {
        run.add(Input::new(InputKind::Carry, file_name(path), open_file(path)?))?;
    }
    for path in &arguments.resolutions {
        run.add(Input::new(InputKind::Resolutions, file_name(path), open_file(path)?))?;
    }
    let json = run.run(date)?.to_json();
    if let Some(path) = &arguments.audit_out {
        write_out(path, &run.audit_log()?)?;
    }
    if let Some(dir) = &arguments.documents_out {
        let documents = run.documents()?;
        std::fs::create_dir_all(dir).map_err(|e| cannot_write(dir, &e))?;
        for kind in DocumentKind::ALL {
            let path = Path::new(dir).join(format!("{}.csv", kind.code()));
            write_out(&path.to_string_lossy(), &documents.csv(*kind))?;
        }
        let json = serde_json::to_vec_pretty(&documents).unwrap_or_default();
        write_out(&Path::new(dir).join("documents.json").to_string_lossy(), &json)?;
    }
    let report = run.report().ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "no report"))?;
    if let Some(path) = &arguments.clearing_csv {
        let clearing = report.clearing.as_ref().ok_or_else(|| {
            let reason = "no clearing: give a profile with a `clearing` section, or --bank/--payouts";
            Error::new(ErrorKind::InvalidArgument, format!("--clearing-csv: {reason}"))
        })?;
        write_out(path, &clearing.csv(None))?;
    }
    if let Some(path) = &arguments.carry_out {
        write_out(path, &run.carry_out().unwrap_or_else(CarryState::empty).to_json())?;
    }
    #[cfg(all(feature = "sheets", not(target_arch = "wasm32")))]
    if let Some(path) = &arguments.xlsx_out {
        // The outcomes are named by the engine's own vocabulary: the sheets crate keeps no copy.
        let vocabulary = serde_json::to_vec(&duizhang::Vocabulary::new()).map_err(|e| cannot_write(path, &e))?;
        let workbook =
            duizhang_sheets::report_to_xlsx(json.as_bytes(), &vocabulary).map_err(|e| cannot_write(path, &e))?;
        write_out(path, &workbook)?;
    }
    Ok(json)
}

/// `audit verify FILE...`: each log intact, and each beginning with every line of the one before.
fn audit_verify(paths: &[String]) -> ExitCode {
    let mut logs = Vec::new();
    for path in paths {
        match std::fs::read(path) {
            Ok(bytes) => logs.push(bytes),
            Err(e) => {
                eprintln!("duizhang: cannot read {path}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let logs: Vec<&[u8]> = logs.iter().map(Vec::as_slice).collect();
    match verify_logs(&logs) {
        Ok(lines) => {
            for (path, lines) in paths.iter().zip(lines) {
                println!("{path}: intact, {lines} lines");
            }
            if paths.len() > 1 {
                println!("each log continues the one before it");
            }
            ExitCode::SUCCESS
        }
        Err((n, b)) => {
            println!("{}: line {} does not verify: {}", paths[n], b.line, b.reason);
            ExitCode::from(1)
        }
    }
}

/// Describes each file; an unusable one becomes `{name, error}` so the others are still shown.
/// Returns the JSON and whether every file was usable.
fn inspect_files(arguments: &Arguments) -> Result<(String, bool), Error> {
    #[derive(serde::Serialize)]
    struct Reason {
        code: &'static str,
        message: String,
        line: Option<u64>,
    }
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Entry {
        Read(Inspection),
        Unusable { name: String, error: Reason },
    }
    let profile = load_profile(arguments)?;
    let mut entries = Vec::new();
    let mut all_usable = true;
    for path in &arguments.files {
        match read_file(path).and_then(|bytes| inspect(&file_name(path), bytes, &profile)) {
            Ok(inspections) => entries.extend(inspections.into_iter().map(Entry::Read)),
            Err(error) => {
                all_usable = false;
                let error =
                    Reason { code: error.code().code(), message: error.message().to_string(), line: error.line() };
                entries.push(Entry::Unusable { name: file_name(path), error });
            }
        }
    }
    let json = match entries.as_slice() {
        [single] => serde_json::to_string_pretty(single),
        _ => serde_json::to_string_pretty(&entries),
    };
    Ok((json.unwrap_or_default(), all_usable))
}

/// Prints the report on stdout. A reader that stopped early (`| head`) is not an error of the run,
/// and not a panic, as `println!` would make it.
fn print_out(json: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{json}").and_then(|()| out.flush());
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => {
            println!("duizhang {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("audit") if args.get(1).map(String::as_str) == Some("verify") && args.len() > 2 => {
            audit_verify(&args[2..])
        }
        Some("audit") => {
            eprintln!("duizhang: usage: audit verify FILE...\n\n{USAGE}");
            ExitCode::from(2)
        }
        Some("inspect") => match parse_arguments(&args[1..]) {
            Ok(arguments)
                if !arguments.files.is_empty() && arguments.internal.is_empty() && arguments.channel.is_empty() =>
            {
                match inspect_files(&arguments) {
                    Ok((json, all_usable)) => {
                        print_out(&json);
                        if all_usable {
                            ExitCode::SUCCESS
                        } else {
                            ExitCode::from(1)
                        }
                    }
                    Err(error) => {
                        eprintln!("duizhang: {error}");
                        ExitCode::from(1)
                    }
                }
            }
            Ok(_) => {
                eprintln!("duizhang: usage: inspect needs at least one FILE and no --internal/--channel\n\n{USAGE}");
                ExitCode::from(2)
            }
            Err(reason) => {
                eprintln!("duizhang: usage: {reason}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        Some("reconcile") => match parse_arguments(&args[1..]) {
            Ok(arguments)
                if !arguments.files.is_empty()
                    || (arguments.bank.is_empty()
                        && (arguments.channel.is_empty()
                            || (arguments.internal.is_empty() && arguments.profile.is_none()))) =>
            {
                eprintln!(
                    "duizhang: usage: reconcile needs --internal FILE and --channel FILE (or --bank FILE)\n\n{USAGE}"
                );
                ExitCode::from(2)
            }
            Err(reason) => {
                eprintln!("duizhang: usage: {reason}\n\n{USAGE}");
                ExitCode::from(2)
            }
            Ok(arguments) => match reconcile(&arguments) {
                Ok(json) => {
                    print_out(&json);
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("duizhang: {error}");
                    ExitCode::from(1)
                }
            },
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

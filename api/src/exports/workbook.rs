//! The climate office's workbooks: figures in, .xlsx bytes out, laid out for people who keep
//! them (titles, period, rules version, widths, number formats). Pure: no I/O.

use chrono::NaiveDate;
use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::{
    hmsreg::shares::Share,
    tenders::{
        followup::{FollowUpRow, FollowUpStatus},
        stats::ClimateFigures,
    },
};

fn title_format() -> Format {
    Format::new().set_bold().set_font_size(14)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

fn headers(ws: &mut Worksheet, row: u32, names: &[(&str, f64)]) -> Result<(), XlsxError> {
    let h = header_format();
    for (c, (name, width)) in names.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *name, &h)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(row + 1, 0)?;
    // Room for the wrapped headers, and a printout one page wide, as the climate office files it.
    ws.set_row_height(row, 45)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn write_count(ws: &mut Worksheet, row: u32, col: u16, n: usize) -> Result<(), XlsxError> {
    ws.write_number(row, col, n as f64)?;
    Ok(())
}

fn write_percent(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: Option<f64>,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        Some(v) => ws.write_number_with_format(row, col, v, format)?,
        None => ws.write_string(row, col, "-")?,
    };
    Ok(())
}

/// One row per period (quarters, then the whole period), and a sheet of machine types.
pub fn climate(
    from: NaiveDate,
    to: NaiveDate,
    agency: Option<&str>,
    rules_version: &str,
    quarters: &[(NaiveDate, NaiveDate, ClimateFigures)],
    total: &ClimateFigures,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let percent = Format::new().set_num_format("0.0");
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("Klimakrav")?;
    ws.write_string_with_format(0, 0, "Klimakrav i anskaffelser", &title_format())?;
    let scope = agency.map_or_else(
        || "alle virksomheter".to_string(),
        |a| format!("virksomhet {a}"),
    );
    ws.write_string(
        1,
        0,
        format!("Anskaffelser kunngjort {from} til {to}, {scope}. Regelversjon {rules_version}."),
    )?;
    headers(
        ws,
        3,
        &[
            ("Periode", 14.0),
            ("Fra", 12.0),
            ("Til", 12.0),
            ("Anskaffelser", 12.0),
            ("Transportkravet gjelder", 12.0),
            ("Transportkravet oppfylt", 12.0),
            ("Transportkravet unntatt", 12.0),
            ("Andel med transportkrav (%)", 12.0),
            ("Byggeplasskravet gjelder", 12.0),
            ("Byggeplasskravet oppfylt", 12.0),
            ("Byggeplasskravet unntatt", 12.0),
            ("Krav om utslippsfrie maskiner", 14.0),
        ],
    )?;
    let periods = quarters
        .iter()
        .map(|(f, t, x)| (false, *f, *t, x))
        .chain(std::iter::once((true, from, to, total)));
    for (row, (is_total, start, end, f)) in (4u32..).zip(periods) {
        let label = if is_total {
            "Totalt".to_string()
        } else {
            format!(
                "{}-Q{}",
                start.format("%Y"),
                chrono::Datelike::month0(&start) / 3 + 1
            )
        };
        if is_total {
            ws.write_string_with_format(row, 0, label, &bold)?;
        } else {
            ws.write_string(row, 0, label)?;
        }
        ws.write_string(row, 1, start.to_string())?;
        ws.write_string(row, 2, end.to_string())?;
        write_count(ws, row, 3, f.tender_count)?;
        write_count(ws, row, 4, f.transport_applicable)?;
        write_count(ws, row, 5, f.transport_satisfied)?;
        write_count(ws, row, 6, f.transport_exempted)?;
        write_percent(ws, row, 7, f.transport_share(), &percent)?;
        write_count(ws, row, 8, f.site_applicable)?;
        write_count(ws, row, 9, f.site_satisfied)?;
        write_count(ws, row, 10, f.site_exempted)?;
        write_count(ws, row, 11, f.zero_emission_minimum)?;
    }
    // The transport share per quarter, as the climate office shows it in its reports.
    if !quarters.is_empty() {
        let last = 4 + quarters.len() as u32 - 1;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .title()
            .set_name("Andel med krav til klimanøytral transport");
        chart
            .add_series()
            .set_name("Andel (%)")
            .set_categories(("Klimakrav", 4, 0, last, 0))
            .set_values(("Klimakrav", 4, 7, last, 7));
        chart.y_axis().set_name("Prosent").set_min(0).set_max(100);
        chart.legend().set_hidden();
        ws.insert_chart(last + 3, 0, &chart)?;
    }
    let machines = wb.add_worksheet();
    machines.set_name("Maskintyper")?;
    machines.write_string_with_format(
        0,
        0,
        "Krav om utslippsfrie maskiner, per maskintype",
        &title_format(),
    )?;
    machines.write_string(
        1,
        0,
        format!("Anskaffelser kunngjort {from} til {to}, {scope}."),
    )?;
    headers(machines, 3, &[("Maskintype", 28.0), ("Anskaffelser", 12.0)])?;
    for (i, (name, n)) in total.machine_types.iter().enumerate() {
        machines.write_string(4 + i as u32, 0, name)?;
        write_count(machines, 4 + i as u32, 1, *n)?;
    }
    wb.save_to_buffer()
}

/// One row per group, hours with two decimals and shares in percent; then a sheet that
/// follows each contract up against its tender.
pub fn workforce(
    title: &str,
    period: &str,
    groups: &[Share],
    follow_up: &[FollowUpRow],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let hours = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0.0");
    let ws = wb.add_worksheet();
    ws.set_name("Andeler")?;
    ws.write_string_with_format(0, 0, title, &title_format())?;
    ws.write_string(1, 0, period)?;
    headers(
        ws,
        3,
        &[
            ("Gruppe", 30.0),
            ("Faglærte timer", 14.0),
            ("Lærlingtimer", 14.0),
            ("Ufaglærte timer", 14.0),
            ("Administrative timer", 14.0),
            ("Relevante timer", 14.0),
            ("Andel fagarbeidere (%)", 12.0),
            ("Andel lærlinger (%)", 12.0),
            ("Snitt av kontraktene, fagarbeidere (%)", 14.0),
            ("Snitt av kontraktene, lærlinger (%)", 14.0),
            ("Lærlinger (antall)", 12.0),
            ("Målet for fagarbeidere nådd", 12.0),
            ("Målet for lærlinger nådd", 12.0),
        ],
    )?;
    for (i, s) in groups.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string(row, 0, &s.key)?;
        for (col, h) in [
            s.hours.skilled,
            s.hours.apprentice,
            s.hours.unskilled,
            s.hours.administrative,
            s.relevant,
        ]
        .into_iter()
        .enumerate()
        {
            // Hundredths to hours: exact in binary up to far beyond any real total.
            ws.write_number_with_format(row, 1 + col as u16, h as f64 / 100.0, &hours)?;
        }
        write_percent(ws, row, 6, s.skilled_share, &percent)?;
        write_percent(ws, row, 7, s.apprentice_share, &percent)?;
        write_percent(ws, row, 8, s.average_contract_skilled_share, &percent)?;
        write_percent(ws, row, 9, s.average_contract_apprentice_share, &percent)?;
        write_count(ws, row, 10, s.apprentice_count)?;
        let yes_no = |b: Option<bool>| match b {
            Some(true) => "ja",
            Some(false) => "nei",
            None => "-",
        };
        ws.write_string(row, 11, yes_no(s.meets_skilled_target))?;
        ws.write_string(row, 12, yes_no(s.meets_apprentice_target))?;
    }
    if !groups.is_empty() {
        let last = 4 + groups.len() as u32 - 1;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Andel fagarbeidere og lærlinger");
        for (name, col) in [("Fagarbeidere (%)", 6), ("Lærlinger (%)", 7)] {
            chart
                .add_series()
                .set_name(name)
                .set_categories(("Andeler", 4, 0, last, 0))
                .set_values(("Andeler", 4, col, last, col));
        }
        chart.y_axis().set_name("Prosent").set_min(0).set_max(100);
        // Wide enough for a label under each of a dozen groups.
        chart.set_width(760).set_height(380);
        ws.insert_chart(last + 3, 0, &chart)?;
    }
    follow_up_sheet(wb.add_worksheet(), period, follow_up)?;
    wb.save_to_buffer()
}

/// `contractFollowUp` over the workbook's months, one row per contract.
fn follow_up_sheet(
    ws: &mut Worksheet,
    period: &str,
    rows: &[FollowUpRow],
) -> Result<(), XlsxError> {
    let hours = Format::new().set_num_format("#,##0.00");
    let percent = Format::new().set_num_format("0.0");
    ws.set_name("Oppfølging")?;
    ws.write_string_with_format(0, 0, "Oppfølging av kontraktene", &title_format())?;
    ws.write_string(1, 0, period)?;
    headers(
        ws,
        3,
        &[
            ("Kontrakt", 34.0),
            ("Virksomhet", 24.0),
            ("Anskaffelse", 34.0),
            ("Krav om lærlinger", 12.0),
            ("Andel lærlinger (%)", 12.0),
            ("Status lærlinger", 14.0),
            ("Krav om fagarbeidere", 12.0),
            ("Andel fagarbeidere (%)", 12.0),
            ("Status fagarbeidere", 14.0),
            ("Relevante timer", 14.0),
        ],
    )?;
    let yes_no = |b: bool| if b { "ja" } else { "nei" };
    for (i, r) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_string(row, 0, &r.contract)?;
        ws.write_string(row, 1, r.agency.as_deref().unwrap_or("-"))?;
        let tender = r.tender.as_ref().map_or_else(
            || "-".to_string(),
            |t| match &t.model.reference {
                Some(reference) => format!("{reference} {}", t.model.title),
                None => t.model.title.clone(),
            },
        );
        ws.write_string(row, 2, tender)?;
        ws.write_string(row, 3, yes_no(r.requires_apprentices))?;
        write_percent(
            ws,
            row,
            4,
            r.share.as_ref().and_then(|s| s.apprentice_share),
            &percent,
        )?;
        ws.write_string(row, 5, status_text(r.apprentice_status))?;
        ws.write_string(row, 6, yes_no(r.requires_skilled_workers))?;
        write_percent(
            ws,
            row,
            7,
            r.share.as_ref().and_then(|s| s.skilled_share),
            &percent,
        )?;
        ws.write_string(row, 8, status_text(r.skilled_status))?;
        let relevant = r.share.as_ref().map_or(0, |s| s.relevant);
        ws.write_number_with_format(row, 9, relevant as f64 / 100.0, &hours)?;
    }
    Ok(())
}

/// As the API spells it, so a sheet and a query say the same.
fn status_text(s: FollowUpStatus) -> &'static str {
    match s {
        FollowUpStatus::NotRequired => "NOT_REQUIRED",
        FollowUpStatus::NoHours => "NO_HOURS",
        FollowUpStatus::Meets => "MEETS",
        FollowUpStatus::Below => "BELOW",
    }
}

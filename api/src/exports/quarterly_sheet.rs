//! The quarterly agency report as the city's finance department receives it: one sheet per
//! indicator, agencies as rows, the four quarters and the year as columns, each cell coloured
//! against the target, the municipality's total last, and a line chart of the total per
//! quarter against the target. Pure: figures in, .xlsx bytes out.

use rust_xlsxwriter::{
    Chart, ChartLine, ChartType, Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// One row of the report: an agency (or the total) and its share per quarter and for the year.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub name: String,
    /// Q1..Q4, then the year; `None` without relevant hours.
    pub values: [Option<f64>; 5],
}

/// One indicator's sheet.
pub struct Indicator<'a> {
    pub sheet: &'a str,
    pub title: &'a str,
    pub target: f64,
    pub rows: &'a [ReportRow],
    pub total: &'a ReportRow,
}

const HEADINGS: [&str; 6] = [
    "Virksomhet",
    "1. kvartal",
    "2. kvartal",
    "3. kvartal",
    "4. kvartal",
    "Hele året",
];
/// Where the first agency row is (0-based): title, note, blank, headings above it.
const FIRST_ROW: u32 = 4;

pub fn report(year: i32, indicators: &[Indicator<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for indicator in indicators {
        sheet(wb.add_worksheet(), year, indicator)?;
    }
    wb.save_to_buffer()
}

fn percent(fill: Option<&str>, bold: bool) -> Format {
    let mut f = Format::new()
        .set_num_format("0.0")
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Right);
    if let Some(color) = fill {
        f = f.set_background_color(color);
    }
    if bold {
        f = f.set_bold();
    }
    f
}

/// Green at or above the target, red below, as the finance department reads it at a glance.
const MEETS: &str = "#C6EFCE";
const BELOW: &str = "#FFC7CE";

fn write_row(
    ws: &mut Worksheet,
    row: u32,
    r: &ReportRow,
    target: f64,
    bold: bool,
) -> Result<(), XlsxError> {
    let name = Format::new().set_border(FormatBorder::Thin);
    let name = if bold { name.set_bold() } else { name };
    ws.write_string_with_format(row, 0, &r.name, &name)?;
    for (i, value) in r.values.iter().enumerate() {
        let col = 1 + i as u16;
        match value {
            Some(v) => {
                let fill = if *v >= target { MEETS } else { BELOW };
                ws.write_number_with_format(row, col, *v, &percent(Some(fill), bold))?;
            }
            None => {
                ws.write_string_with_format(row, col, "–", &percent(None, bold))?;
            }
        }
    }
    Ok(())
}

fn sheet(ws: &mut Worksheet, year: i32, ind: &Indicator<'_>) -> Result<(), XlsxError> {
    ws.set_name(ind.sheet)?;
    ws.write_string_with_format(
        0,
        0,
        format!("{} {year}", ind.title),
        &Format::new().set_bold().set_font_size(14),
    )?;
    ws.write_string(
        1,
        0,
        format!(
            "Prosent. Mål: {} %. Grønn: på eller over målet; rød: under; – : ingen timer.",
            ind.target
        ),
    )?;
    let heading = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border(FormatBorder::Thin);
    for (c, h) in HEADINGS.iter().enumerate() {
        ws.write_string_with_format(FIRST_ROW - 1, c as u16, *h, &heading)?;
        ws.set_column_width(c as u16, if c == 0 { 34.0 } else { 12.0 })?;
    }
    ws.set_freeze_panes(FIRST_ROW, 1)?;
    for (i, r) in ind.rows.iter().enumerate() {
        write_row(ws, FIRST_ROW + i as u32, r, ind.target, false)?;
    }
    let total_row = FIRST_ROW + ind.rows.len() as u32;
    write_row(ws, total_row, ind.total, ind.target, true)?;
    // The target per quarter, for the chart's target line.
    let target_row = total_row + 2;
    ws.write_string(target_row, 0, "Mål")?;
    for q in 0..4u16 {
        ws.write_number(target_row, 1 + q, ind.target)?;
    }

    let mut chart = Chart::new(ChartType::Line);
    chart
        .title()
        .set_name(&format!("{} {year}: totalt per kvartal", ind.sheet));
    chart
        .add_series()
        .set_name((ind.sheet, total_row, 0))
        .set_categories((ind.sheet, FIRST_ROW - 1, 1, FIRST_ROW - 1, 4))
        .set_values((ind.sheet, total_row, 1, total_row, 4));
    chart
        .add_series()
        .set_name((ind.sheet, target_row, 0))
        .set_categories((ind.sheet, FIRST_ROW - 1, 1, FIRST_ROW - 1, 4))
        .set_values((ind.sheet, target_row, 1, target_row, 4))
        .set_format(
            ChartLine::new()
                .set_color(Color::RGB(0xC00000))
                .set_dash_type(rust_xlsxwriter::ChartLineDashType::Dash),
        );
    chart.y_axis().set_name("Prosent");
    ws.insert_chart(target_row + 2, 0, &chart)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

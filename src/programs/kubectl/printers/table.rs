//! Human-readable tables: the server's Table columns and cells laid out with kubectl's tabwriter
//! (minimum width 6, padding 3), with NAMESPACE, label and kind-prefix decorations
//! (cli-runtime `pkg/printers/tableprinter.go`, `tabwriter.go`).

use crate::cluster::selector::{format_labels, labels_of};
use crate::cluster::table::{Cell, Table};

/// How kubectl decorates one server Table.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// `-o wide`: keep priority-1 columns.
    pub wide: bool,
    pub no_headers: bool,
    /// `-A`: a NAMESPACE column first (only for namespaced kinds).
    pub with_namespace: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// `-L key`: one column per key.
    pub label_columns: Vec<String>,
    /// `pod`, `deployment.apps`: prefixes NAME cells (`pod/nginx`) when several kinds print.
    pub kind_prefix: Option<String>,
}

/// The table's rows as tab-separated lines (header first unless `no_headers`), before layout.
pub fn rows(table: &Table, opts: &TableOptions) -> Vec<Vec<String>> {
    let shown: Vec<usize> = (0..table.columns.len()).filter(|i| opts.wide || table.columns[*i].priority == 0).collect();
    let mut lines = Vec::new();
    if !opts.no_headers {
        let mut h = Vec::new();
        if opts.with_namespace {
            h.push("NAMESPACE".to_string());
        }
        h.extend(shown.iter().map(|i| table.columns[*i].name.to_uppercase()));
        for key in &opts.label_columns {
            h.push(key.rsplit('/').next().unwrap_or(key).to_uppercase());
        }
        if opts.show_labels {
            h.push("LABELS".into());
        }
        lines.push(h);
    }
    for row in &table.rows {
        let mut l = Vec::new();
        if opts.with_namespace {
            l.push(crate::cluster::path::at(&row.object, "/metadata/namespace").and_then(|v| v.as_str()).unwrap_or_default().to_string());
        }
        for i in &shown {
            let mut text = cell_text(row.cells.get(*i).unwrap_or(&Cell::Str(String::new())));
            if table.columns[*i].name == "Name"
                && let Some(prefix) = &opts.kind_prefix
            {
                text = format!("{prefix}/{text}");
            }
            l.push(text);
        }
        if opts.show_labels || !opts.label_columns.is_empty() {
            let labels = labels_of(&row.object);
            for key in &opts.label_columns {
                l.push(labels.get(key).cloned().unwrap_or_default());
            }
            if opts.show_labels {
                l.push(format_labels(&labels));
            }
        }
        lines.push(l);
    }
    lines
}

/// A cell as kubectl's table printer writes it: strings cut at the first line break (then
/// `...`), terminal escapes made visible.
pub fn cell_text(cell: &Cell) -> String {
    let raw = cell.display();
    if !raw.contains(['\n', '\r', '\u{c}', '\u{1b}']) {
        return raw;
    }
    let (text, cut) = match raw.find(['\n', '\r', '\u{c}']) {
        Some(i) => (&raw[..i], true),
        None => (raw.as_str(), false),
    };
    let mut s = text.replace('\u{1b}', "^[");
    if cut {
        s.push_str("...");
    }
    s
}

/// Lays out one Table as kubectl prints it.
pub fn render(table: &Table, opts: &TableOptions) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    tabwrite_rows(&rows(table, opts), 6, 3)
}

/// Go's `text/tabwriter` with space padding: cells end at `\t`, each column block is as wide as
/// its widest cell plus `padding` (never narrower than `minwidth`), the last cell of a line is
/// not aligned, and a line with fewer cells ends the blocks to its right.
pub fn tabwrite(text: &str, minwidth: usize, padding: usize) -> String {
    let mut lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let trailing_newline = text.ends_with('\n');
    if trailing_newline {
        lines.pop();
    }
    let mut out = tabwrite_rows(&lines, minwidth, padding);
    if !trailing_newline && out.ends_with('\n') {
        out.pop();
    }
    out
}

/// [`tabwrite`] over lines already split into cells: each line ends with a newline.
pub fn tabwrite_rows<S: AsRef<str>>(lines: &[Vec<S>], minwidth: usize, padding: usize) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.iter().map(|c| c.as_ref().len() + padding).sum::<usize>() + 1).sum());
    let mut widths = Vec::new();
    format_block(lines, 0, lines.len(), &mut widths, minwidth, padding, &mut out);
    out
}

fn width(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.chars().count() }
}

fn format_block<S: AsRef<str>>(
    lines: &[Vec<S>],
    line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    minwidth: usize,
    padding: usize,
    out: &mut String,
) {
    let column = widths.len();
    let mut start = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, start, this, widths, out);
        start = this;
        let mut w = minwidth;
        while this < line1 && column + 1 < lines[this].len() {
            w = w.max(width(lines[this][column].as_ref()) + padding);
            this += 1;
        }
        widths.push(w);
        format_block(lines, start, this, widths, minwidth, padding, out);
        widths.pop();
        start = this;
    }
    write_lines(lines, start, line1, widths, out);
}

fn write_lines<S: AsRef<str>>(lines: &[Vec<S>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in &lines[from..to] {
        for (j, cell) in line.iter().enumerate() {
            let cell = cell.as_ref();
            out.push_str(cell);
            if j < widths.len() && j + 1 < line.len() {
                for _ in width(cell)..widths[j] {
                    out.push(' ');
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabwriter_pads_to_widest_cell_plus_three() {
        let t = "NAME\tSTATUS\tAGE\nkube-system\tActive\t5m\n";
        assert_eq!(tabwrite(t, 6, 3), "NAME          STATUS   AGE\nkube-system   Active   5m\n");
        // A short column still takes the minimum width of 6.
        assert_eq!(tabwrite("A\tX\tB\nlong-name\t\tv\n", 6, 3), "A           X     B\nlong-name         v\n");
        // Trailing empty cells keep their padding (the real `-L` output has trailing spaces).
        assert_eq!(tabwrite("N\tAPP\tRUN\nweb\tweb\t\n", 6, 3), "N     APP   RUN\nweb   web   \n");
    }

    #[test]
    fn tabwriter_blocks_end_at_shorter_lines() {
        // describe-style text: a line without tabs ends the column block.
        let t = "Name:\tnginx\nLabels:\trun=nginx\nContainers:\n  nginx:\n    Image:\tnginx\n";
        assert_eq!(tabwrite(t, 0, 2), "Name:    nginx\nLabels:  run=nginx\nContainers:\n  nginx:\n    Image:  nginx\n");
    }
}

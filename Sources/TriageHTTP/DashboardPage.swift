import Foundation
import TriageCore

/// The operators' dashboard, `GET /`: one self-contained HTML page (inline CSS, a few lines of
/// script for the 15-second auto-refresh toggle; nothing fetched from elsewhere) made to be read
/// on a laptop screen and in a 1366×768 screenshot.
///
/// Pure and deterministic: it reads no clock (every age and time left is taken at
/// ``DashboardSnapshot/renderedAt``) and no locale, so the same snapshot always gives the same
/// bytes. Every text that comes from incidents, vendors or the outbox is HTML-escaped; titles are
/// written by whoever sends webhooks.
///
/// ```swift
/// let html = DashboardPage.render(snapshot, zone: try ZoneRules(tzif: bytes, identifier: "Europe/Paris"))
/// ```
public enum DashboardPage {
    /// The page for `snapshot`.
    ///
    /// - Parameters:
    ///   - snapshot: The figures to show.
    ///   - zone: The zone wall-clock times (`14:05`) are shown in; UTC when `nil`. The rendering
    ///     time in the header is always RFC 3339 UTC as well.
    /// - Returns: A complete HTML document.
    public static func render(_ snapshot: DashboardSnapshot, zone: ZoneRules? = nil) -> String {
        let format = Format(zone: zone ?? .utc, now: snapshot.renderedAt)
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>\(escape(snapshot.serviceName)) · \(escape(snapshot.instance))</title>
            <style>\(style)</style>
            </head>
            <body>

            """
        page += header(snapshot, format)
        page += "<main>\n"
        page += queueSection(snapshot.queue, format)
        page += "<div class=\"pair\">\n"
        page += atRiskSection(snapshot.atRisk, within: snapshot.atRiskWithin, format)
        page += vendorSection(snapshot.vendorLoad)
        page += "</div>\n"
        page += decisionSection(snapshot.decisions, format)
        page += deadLetterSection(snapshot.deadLetters, total: snapshot.queue.deadLetters)
        page += "</main>\n<script>\(script)</script>\n</body>\n</html>\n"
        return page
    }

    static func header(_ snapshot: DashboardSnapshot, _ format: Format) -> String {
        let utc = format.utcStamp(snapshot.renderedAt)
        let local = format.zone.identifier == "UTC" ? "" : " (\(format.clock(snapshot.renderedAt)) \(escape(format.zone.identifier)))"
        return """
            <header>
            <h1>\(escape(snapshot.serviceName))</h1>
            <span>instance <b>\(escape(snapshot.instance))</b></span>
            <span>rendered <time datetime="\(utc)">\(utc)</time>\(local)</span>
            <span>config <b>v\(snapshot.configVersion)</b></span>
            <span class="muted">times in \(escape(format.zone.identifier))</span>
            <label class="refresh"><input type="checkbox" id="auto-refresh" checked> auto-refresh 15 s</label>
            </header>

            """
    }

    /// Light, dense, legible at 100 % zoom; red is kept for breaches and dead letters.
    static let style = """
        *{box-sizing:border-box}
        body{margin:0;font:13px/1.35 system-ui,"Segoe UI","DejaVu Sans",Arial,sans-serif;color:#1d232b;background:#eef1f4}
        header{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px;padding:8px 16px;background:#1f2a36;color:#e8edf2}
        header h1{margin:0;font-size:18px;letter-spacing:.02em}
        header b{color:#fff}
        header .muted{color:#9fb0c0}
        .refresh{margin-left:auto;cursor:pointer;user-select:none}
        main{padding:10px 16px 16px;display:flex;flex-direction:column;gap:10px}
        section{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:8px 12px}
        h2{margin:0 0 6px;font-size:14px}
        h2 .count{font-weight:normal;color:#5b6774}
        .pair{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,2fr);gap:10px}
        .tiles{display:flex;gap:10px;flex-wrap:wrap}
        .tile{flex:1 1 0;min-width:120px;border:1px solid #e1e6eb;border-radius:5px;padding:4px 10px;background:#f8fafb}
        .tile .n{font-size:22px;font-weight:600}
        .tile .l{color:#5b6774;font-size:12px}
        .tile.bad{background:#fdeeee;border-color:#f1b7b7}
        .tile.bad .n{color:#b3261e}
        table{width:100%;border-collapse:collapse;table-layout:fixed}
        th{text-align:left;font-weight:600;color:#5b6774;font-size:12px;border-bottom:1px solid #d5dbe1;padding:2px 6px}
        td{padding:3px 6px;border-bottom:1px solid #eef1f4;vertical-align:top;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
        td.wrap{white-space:normal;overflow-wrap:anywhere}
        tr:last-child td{border-bottom:0}
        tr.dead td{border-bottom:0;padding-bottom:0}
        tr.calls td{padding-top:1px;color:#5b6774}
        .id{font-family:"DejaVu Sans Mono",monospace;font-size:11.5px}
        a{color:#1759b0;text-decoration:none}
        a:hover{text-decoration:underline}
        .bad{color:#b3261e;font-weight:600}
        tr.breached td{background:#fdeeee}
        .warn{color:#9a5b00;font-weight:600}
        .ok{color:#1e6b35}
        .tag{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;font-weight:600;background:#fff1cc;color:#7a4d00}
        .prio{display:inline-block;min-width:24px;text-align:center;border-radius:3px;font-size:11px;font-weight:600;background:#e6ebf0}
        .prio.P1{background:#b3261e;color:#fff}
        .prio.P2{background:#e8833a;color:#fff}
        .empty{color:#5b6774;font-style:italic;margin:2px 0}
        .note{color:#5b6774;font-size:12px;margin:0 0 4px}
        .load{display:grid;grid-template-columns:minmax(0,9em) 1fr 6.5em;gap:4px 8px;align-items:center}
        .bar{height:12px;background:#e6ebf0;border-radius:3px;overflow:hidden}
        .bar span{display:block;height:100%;background:#3d7dca}
        .bar span.high{background:#e8833a}
        .bar span.full{background:#b3261e}
        .bar.none{background:repeating-linear-gradient(45deg,#eef1f4 0 6px,#f8fafb 6px 12px)}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        code{font-family:"DejaVu Sans Mono",monospace;font-size:11px;background:#f1f3f5;padding:0 3px;border-radius:3px}
        """

    /// The auto-refresh toggle: reloads the page (with its query, so a `?token=` stays) every
    /// 15 s while checked; the choice is remembered in the browser. It marks `<html>` with
    /// `data-refresh="on|off"`, which tells `scripts/render-dashboard.sh` that the script ran.
    static let script = """
        (function(){var box=document.getElementById("auto-refresh"),key="triage.dashboard.refresh",timer=null;
        try{box.checked=window.localStorage.getItem(key)!=="off";}catch(e){}
        function arm(){if(timer!==null){clearTimeout(timer);timer=null;}
        document.documentElement.setAttribute("data-refresh",box.checked?"on":"off");
        if(box.checked){timer=setTimeout(function(){window.location.reload();},15000);}}
        box.addEventListener("change",function(){try{window.localStorage.setItem(key,box.checked?"on":"off");}catch(e){}arm();});
        arm();})();
        """

    /// `text` safe in HTML text and in quoted attribute values (``HTMLText/escape(_:)``).
    static func escape(_ text: String) -> String {
        HTMLText.escape(text)
    }

    /// `text` as one URL path segment: everything but unreserved characters percent-encoded.
    static func pathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// At most `limit` characters of `text` (one line), ending in `…` when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        let line = text.replacing("\r\n", with: " ").replacing("\n", with: " ").replacing("\r", with: " ")
        return line.count <= limit ? line : String(line.prefix(max(1, limit - 1))) + "…"
    }

    /// A target shown by name; should a URL come instead, only its host, so no path, query or
    /// user information (where credentials live) reaches the page.
    static func targetName(_ target: String) -> String {
        guard let schemeEnd = target.range(of: "://") else { return target }
        var rest = target[schemeEnd.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return String(rest)
    }
}

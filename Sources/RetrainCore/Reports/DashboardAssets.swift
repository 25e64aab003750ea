/// The dashboard's style sheet and script, inlined into `reports/index.html` (the page loads
/// nothing). They are files of their own, `Assets/dashboard.css` and `Assets/dashboard.js`, for
/// editors and linters; the build embeds their bytes in the binary (SwiftPM's `embedInCode`), so
/// there is nothing to install beside it.
enum DashboardAssets {
    static let css = Markup(escaped: String(decoding: PackageResources.dashboard_css, as: UTF8.self))
    static let script = Markup(escaped: String(decoding: PackageResources.dashboard_js, as: UTF8.self))
}

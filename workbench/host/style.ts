/**
 * The host pages' stylesheet: Atlassian design tokens (`--ds-*`, served by /__forge/theme.css for the
 * light and dark themes) with fallbacks, so the pages follow the theme the person picked.
 */
export const STYLE = `
body{margin:0;font:14px/20px -apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,sans-serif;color:var(--ds-text,#172b4d);background:var(--ds-surface,#fff)}
a{color:var(--ds-link,#0c66e4)}
:focus-visible{outline:2px solid var(--ds-border-focused,#388bff);outline-offset:2px}
h1{font-size:24px;line-height:28px;margin:var(--ds-space-200,16px) 0}
h2{font-size:16px;line-height:20px;margin:var(--ds-space-200,16px) 0 var(--ds-space-100,8px)}
.top{display:flex;gap:var(--ds-space-200,16px);align-items:center;padding:var(--ds-space-100,8px) var(--ds-space-200,16px);border-bottom:1px solid var(--ds-border,#091e4224);background:var(--ds-surface-sunken,#f7f8f9)}
.top .brand{font-weight:700;color:var(--ds-text,#172b4d);text-decoration:none}.top nav{display:flex;gap:var(--ds-space-150,12px);flex:1;flex-wrap:wrap}
select,button,input{font:inherit;color:inherit}
main{padding:var(--ds-space-200,16px) var(--ds-space-300,24px);max-width:1280px}
.grid{display:grid;grid-template-columns:minmax(0,1fr) 380px;gap:var(--ds-space-300,24px)}
.scroll-x{overflow-x:auto}
table.list{border-collapse:collapse;width:100%}table.list td,table.list th{text-align:left;padding:6px 8px;border-bottom:1px solid var(--ds-border,#091e4224);vertical-align:top}
table.list th{color:var(--ds-text-subtle,#44546f);font-size:12px}table.list td:first-child{white-space:nowrap}
.card{border:1px solid var(--ds-border,#091e4224);border-radius:8px;padding:var(--ds-space-150,12px);margin-bottom:var(--ds-space-200,16px);background:var(--ds-surface,#fff)}
.card-title{margin:0 0 var(--ds-space-100,8px);font-size:14px}
iframe.forge{width:100%;border:0;height:120px;display:block;background:transparent}
label{display:block;margin:var(--ds-space-100,8px) 0 2px;font-weight:600;font-size:12px}
label.check{font-weight:400;font-size:14px;margin:4px 0}label.inline,select.inline{margin:0;width:auto}
input[type=text],input[type=number],input[type=datetime-local],select{width:100%;box-sizing:border-box;padding:6px;background:var(--ds-background-input,#fff);border:1px solid var(--ds-border-input,#8590a2);border-radius:3px}
fieldset{border:1px solid var(--ds-border,#091e4224);border-radius:4px;margin:var(--ds-space-150,12px) 0 0;padding:var(--ds-space-050,4px) var(--ds-space-150,12px) var(--ds-space-100,8px)}
legend{font-weight:600;font-size:12px;padding:0 4px}
.hint{margin:2px 0 0;font-size:12px;color:var(--ds-text-subtlest,#626f86)}
.button{padding:6px 12px;border-radius:3px;border:0;background:var(--ds-background-neutral,#091e420f);color:var(--ds-text,#172b4d);cursor:pointer;font-weight:500}
.button:hover{background:var(--ds-background-neutral-hovered,#091e4224)}
.button.primary{background:var(--ds-background-brand-bold,#0c66e4);color:var(--ds-text-inverse,#fff)}
.button.primary:hover{background:var(--ds-background-brand-bold-hovered,#0055cc)}
.button.subtle{background:transparent}.button.subtle:hover{background:var(--ds-background-neutral-subtle-hovered,#091e420f)}
.icon-button{display:inline-flex;align-items:center;justify-content:center;width:32px;height:32px;padding:0;border-radius:3px;border:0;background:var(--ds-background-neutral,#091e420f);cursor:pointer}
.icon-button:hover{background:var(--ds-background-neutral-hovered,#091e4224)}.icon-button[aria-pressed=true]{background:var(--ds-background-selected,#e9f2ff)}
.icon-button img{width:20px;height:20px}
.field{display:grid;grid-template-columns:140px 1fr;gap:4px;padding:4px 0}.field dt{color:var(--ds-text-subtlest,#626f86)}.field dd{margin:0}
dl{margin:0}
.muted{color:var(--ds-text-subtlest,#626f86)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.lozenge{display:inline-block;padding:0 4px;border-radius:3px;font-size:11px;font-weight:700;text-transform:uppercase;line-height:16px;background:var(--ds-background-neutral,#091e420f);color:var(--ds-text-subtle,#44546f)}
.lozenge-success{background:var(--ds-background-success,#dcfff1);color:var(--ds-text-success,#216e4e)}
.lozenge-inprogress{background:var(--ds-background-information,#e9f2ff);color:var(--ds-text-information,#0055cc)}
.lozenge-removed{background:var(--ds-background-danger,#ffeceb);color:var(--ds-text-danger,#ae2e24)}
.lozenge-new{background:var(--ds-background-discovery,#f3f0ff);color:var(--ds-text-discovery,#5e4db2)}
.lozenge-moved{background:var(--ds-background-warning,#fff7d6);color:var(--ds-text-warning,#a54800)}
.badge{display:inline-block;min-width:16px;padding:0 6px;border-radius:8px;font-size:12px;text-align:center;background:var(--ds-background-neutral,#091e420f);color:var(--ds-text,#172b4d)}
.overdue{color:var(--ds-text-danger,#ae2e24)}
.page-body{max-width:860px}.page-body table{border-collapse:collapse}.page-body td,.page-body th{border:1px solid var(--ds-border,#091e4224);padding:4px 8px}
.issue-layout{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:var(--ds-space-400,32px)}
.quick-add{display:flex;gap:var(--ds-space-100,8px);align-items:center;margin:0 0 var(--ds-space-200,16px)}
.issue-panel{margin:var(--ds-space-200,16px) 0}
.issue-panel-header{display:flex;align-items:center;gap:var(--ds-space-100,8px)}.issue-panel-header h2{flex:1;margin:0;font-size:14px}
.issue-context{border:1px solid var(--ds-border,#091e4224);border-radius:4px;margin-bottom:var(--ds-space-100,8px)}
.issue-context h3{margin:0;font-size:14px}
.context-toggle{display:flex;width:100%;align-items:center;gap:var(--ds-space-100,8px);padding:var(--ds-space-100,8px) var(--ds-space-150,12px);background:transparent;border:0;text-align:left;cursor:pointer;font-weight:600}
.context-toggle:hover{background:var(--ds-background-neutral-subtle-hovered,#091e420f)}
.context-toggle .chevron{transition:transform .1s}.context-toggle[aria-expanded=true] .chevron{transform:rotate(90deg)}
.context-toggle .context-title{flex:1}
.context-body{padding:0 var(--ds-space-150,12px) var(--ds-space-150,12px)}
.activity ol{list-style:none;padding:0;margin:0}
.comment{border-top:1px solid var(--ds-border,#091e4224);padding:var(--ds-space-150,12px) 0}
.comment-meta{display:flex;gap:var(--ds-space-100,8px);align-items:center;flex-wrap:wrap;color:var(--ds-text-subtle,#44546f);font-size:12px}
.comment-meta .author{font-weight:600;color:var(--ds-text,#172b4d);font-size:14px}
.comment-body p{margin:4px 0}
.mention{background:var(--ds-background-neutral,#091e420f);border-radius:10px;padding:0 4px}
.controls{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:var(--ds-space-200,16px)}
.controls form{margin:0}.controls .row{display:flex;gap:var(--ds-space-100,8px);align-items:end;flex-wrap:wrap}.controls .row>*{flex:1}.controls .row>button{flex:0 0 auto}
pre.state{overflow:auto;max-height:320px}
.page-header{display:flex;align-items:center;gap:var(--ds-space-100,8px)}.page-header h1{flex:1}
.page-menu{position:relative}.page-menu .menu{position:absolute;right:0;z-index:2;list-style:none;margin:4px 0 0;padding:4px;min-width:220px}.page-menu .menu button{width:100%;text-align:left}
.byline{display:flex;gap:var(--ds-space-100,8px);flex-wrap:wrap;margin:-8px 0 var(--ds-space-200,16px)}.byline-item{position:relative}
.byline-popup{position:absolute;z-index:2;width:520px;max-width:90vw;margin-top:4px}
dialog.action-dialog{width:560px;max-width:90vw}
.page-comments ol{list-style:none;padding:0}.page-tools{margin:0 0 var(--ds-space-150,12px)}
`;

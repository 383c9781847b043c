"""Everything the workspace shows in words that is not an answer: labels, empty states, progress, styles.

Gradio's own words (the upload box, the chatbot's buttons) follow the
browser's language. Gradio ships Chinese for most of them; ``I18N`` gives
the few its Chinese file lacks, for zh-CN and plain zh browsers, through
gradio's own i18n (``gr.I18n``). The footer (API, "Built with Gradio",
settings) is switched off at launch.
"""

from __future__ import annotations

import gradio as gr

TITLE = "年报助手"
HEADER = "## 年报助手　政府信息公开工作年度报告的检查、起草与查询"
WELCOME = ("你好，我是年报助手。请在右侧上传年度报告（可一次上传多份；去年的报告请勾选“上年报告”），"
           "或新建一份空白报告，然后问我，例如下面这些问题（点击即可提问）。")
ASK_PLACEHOLDER = "例如：本年新收申请多少件、哪些合计对不上、问题1怎么改、条例第五十条说了什么"
EXAMPLES = ("哪些合计对不上", "本年新收政府信息公开申请多少件", "予以公开占比是多少", "被纠错的有几件",
            "问题1怎么改", "和去年比有什么变化", "比较各报告的本年新收申请数量", "条例第五十条说了什么")

READING = "正在读取……"
ANSWERING = "正在查找……"
DRAFTING = "正在起草……"
EXPORTING = "正在生成文件……"

NO_REPORT = "尚未载入报告。"
NO_FINDINGS_YET = "还没有报告。上传报告或新建空白报告后，这里列出检查发现的问题。"
NO_DRAFT = "还没有草稿。选择要起草的部分后点“起草”，或在对话中说“起草总体情况”。"
ALL_REPORTS = "全部报告"
UPLOAD_LABEL = "上传报告（.txt .md .html .htm .docx .pdf，可多选，单个不超过 20 MB）"
FORCE_LABEL = "表格有错误或缺少数字时仍然起草"
ALL_MODE_EDIT = "现在显示的是全部报告的对比，不能在这里修改；请先在“报告”页选择一份报告。"

# Gradio's built-in keys its zh-CN file leaves to English (its English file has them, its Chinese
# one not), for the components this workspace uses.
_BUILT_IN = {
    "chatbot.complete": "完成",
    "chatbot.copy_message": "复制消息",
    "chatbot.copied_message": "已复制消息",
    "common.download_all": "全部下载",
    "common.progress": "进度",
    "common.run": "运行",
    "common.back_to_app": "返回",
    "common.back_to_app_description": "返回应用",
    "dataframe.filter": "筛选",
    "dataframe.clear_filter": "清除筛选",
    "dataframe.import_empty_file": "拖入的文件是空的。",
    "dataframe.import_no_column_names": "拖入的文件没有列名。",
    "dataframe.import_ragged_row": "文件第 {line} 行有 {fields} 个字段，表头有 {columns} 个。",
    "dataframe.import_static_columns": "表格有只读列，不能导入。",
    "dataframe.import_fixed_columns": "表格应为 {expected} 列，文件有 {actual} 列。",
    "dataframe.import_fixed_rows": "表格应为 {expected} 行，文件有 {actual} 行。",
    "status.queue_position": "排队中：第 {position} 位，共 {size} 位",
}

# An English-language browser still sees the workspace in Chinese: the built-in words that show
# while a tab loads its data (the 审核 tab's audit list) are given for "en" too.
_EVERY_BROWSER = {"common.loading": "加载中"}

I18N = gr.I18n(**{"zh-CN": dict(_BUILT_IN), "zh": dict(_BUILT_IN), "en": dict(_EVERY_BROWSER)})

CSS = """
#nb-findings .nb-list { padding-left: 0; margin: 0; list-style: none; }
#nb-findings li { margin: 0.35em 0; padding: 0.3em 0.5em; border-radius: 4px; }
#nb-findings li.nb-error { background: #fff1f0; border-left: 4px solid #cf1322; }
#nb-findings li.nb-warning { background: #fffbe6; border-left: 4px solid #d4b106; }
#nb-findings li.nb-info { background: #e6f4ff; border-left: 4px solid #1677ff; }
#nb-findings .nb-badge { font-weight: 700; margin-right: 0.3em; }
#nb-findings .nb-no { font-weight: 700; margin-right: 0.4em; white-space: nowrap; }
#nb-findings .nb-comp { color: #555; font-size: 0.92em; }
#nb-findings .nb-summary, #nb-findings .nb-findings-title { font-weight: 600; margin-bottom: 0.3em; }
#nb-findings .nb-report { font-weight: 700; margin-top: 0.6em; }
/* Numbers stay whole on a narrow screen: lines break between words and Chinese characters,
   never inside a run of digits; a wide table scrolls instead of squeezing its figures. */
#nb-chat .message, #nb-chat .prose, #nb-findings, #nb-loaded, #nb-draft-notes {
  word-break: normal; overflow-wrap: normal; line-break: strict; }
#nb-chat table, #nb-loaded table, #nb-draft-notes table { display: block; overflow-x: auto; max-width: 100%; }
#nb-chat td, #nb-chat th, #nb-loaded td, #nb-loaded th { white-space: nowrap; }
#nb-examples button { flex: 0 1 auto; min-width: 0; }
/* Gradio's upload box speaks the browser's language; ours says it in Chinese in every browser.
   Its own words are hidden (not just shrunk), so they are not on the page at all. */
#nb-upload [data-testid="upload-text"], #nb-ledger-upload [data-testid="upload-text"],
#nb-review-upload [data-testid="upload-text"], #nb-review-import [data-testid="upload-text"] {
  font-size: 0 !important; visibility: hidden; }
#nb-upload [data-testid="upload-text"] .icon-wrap, #nb-ledger-upload [data-testid="upload-text"] .icon-wrap,
#nb-review-upload [data-testid="upload-text"] .icon-wrap, #nb-review-import [data-testid="upload-text"] .icon-wrap {
  visibility: visible; width: 2rem; height: 2rem; }
#nb-review-upload [data-testid="upload-text"]::after { content: "将报告或压缩包拖放到此处，或点击选择文件";
  visibility: visible; font-size: 1rem; }
#nb-review-import [data-testid="upload-text"]::after { content: "将审核工作簿拖放到此处，或点击选择文件";
  visibility: visible; font-size: 1rem; }
#nb-upload [data-testid="upload-text"]::after { content: "将报告拖放到此处，或点击选择文件";
  visibility: visible; font-size: 1rem; }
#nb-ledger-upload [data-testid="upload-text"]::after { content: "将台账拖放到此处，或点击选择文件";
  visibility: visible; font-size: 1rem; }
/* The grids take no dropped CSV files; their hint would only confuse. */
#nb-t2 .drop-hint, #nb-t3 .drop-hint, #nb-t4 .drop-hint, #nb-ledger-unmapped .drop-hint { display: none !important; }
"""

//! Every Chinese string the window shows that is not a rules label (those live in
//! `core::model`), in one place. Only symbols from GB2312 (● ○ → ↓ ×) are used, so the bundled
//! fonts cover every character.
//!
//! One file over 600 lines by rule: every Chinese string of the window lives here, in one place.

use super::action::{Action, Question, Screen};

pub const WINDOW_TITLE: &str = "江苏省电子商务技术应用职业技能竞赛 · 决赛评分系统";
pub const APP_NAME: &str = "judgedesk";
pub const POOLS: &str = "赛项组别";
pub const RESULTS: &str = "成绩与奖项";
pub const COMPLETE: &str = "成绩完整";
pub const INCOMPLETE: &str = "成绩未完整";
pub const PARTICIPANTS: &str = "实际参赛";
pub const QUOTA: &str = "获奖名额（一/二/三）";
pub const MISSING_ITEMS: &str = "待录入";
pub const NO_CONTESTANTS: &str = "本赛项组别暂无选手";
pub const COL_RANK: &str = "名次";
pub const COL_WORKSTATION: &str = "工位";
pub const COL_CHECKIN: &str = "检录号";
pub const COL_NAME: &str = "姓名";
pub const COL_UNIT: &str = "单位";
pub const COL_STATUS: &str = "状态";
pub const COL_THEORY: &str = "理论";
pub const COL_PRACTICAL: &str = "操作";
pub const COL_TOTAL: &str = "总成绩";
pub const COL_PRIZE: &str = "奖项";
pub const COL_LEVEL: &str = "技能等级";
pub const COL_EXPERT: &str = "技术能手";
pub const COL_TITLE: &str = "职称";
pub const COL_COACH: &str = "指导老师";
pub const COL_TIE_BREAK: &str = "并列区分";
pub const COL_ID_NUMBER: &str = "身份证号";
pub const COL_POOL: &str = "赛项组别";
pub const COL_DEPARTMENT: &str = "院系";
pub const COL_ROLE: &str = "角色";
pub const COL_ACCOUNT: &str = "账号";
pub const COL_ACCOUNT_STATE: &str = "账号状态";
pub const COL_TIME: &str = "时间";
pub const COL_ACTOR: &str = "操作人";
pub const COL_ACTION: &str = "操作";
pub const COL_SUBJECT: &str = "对象";
pub const COL_CHANGE: &str = "原值 → 新值";
pub const COL_REASON: &str = "理由";
pub const COL_JUDGE: &str = "裁判";
pub const COL_PROGRESS: &str = "录入进度";
pub const COL_SUBMITTED: &str = "已提交";
pub const COL_CRITERION: &str = "评分项";
pub const COL_VALUES: &str = "各裁判评分";
pub const COL_SPREAD: &str = "差值";
pub const COL_RESOLUTION: &str = "处理";
pub const COL_COUNT: &str = "人数";
pub const YES: &str = "是";
pub const ALREADY_HELD: &str = "（已持有）";
pub const VENUE: &str = "决赛地点";
pub const STATE: &str = "状态";
pub const RELOAD: &str = "刷新";
pub const DATABASE: &str = "数据库";
pub const OVERFLOW: &str = "并列超出名额";
pub const SPREAD_FLAGS: &str = "评分差异过大";
pub const SPREAD_FLAGS_OPEN: &str = "评分差异过大未处理";
pub const CONFLICTS: &str = "客观分不一致";
pub const OPEN_FAILED: &str = "无法打开数据库";
pub const HIDDEN_NAME: &str = "（未解密）";
pub const WORKING: &str = "正在处理…";

// ---- sign-in ----------------------------------------------------------------------------
pub const SIGN_IN: &str = "登录";
pub const SIGN_OUT: &str = "退出登录";
pub const CHOOSE_NAME: &str = "选择您的账号";
pub const PIN: &str = "PIN";
pub const PIN_AGAIN: &str = "再次输入 PIN";
pub const PIN_HINT: &str = "4 到 12 位数字";
pub const SIGN_IN_HINT: &str = "选择账号，输入 PIN 后按回车";
pub const FIRST_RUN_TITLE: &str = "首次启动：创建赛务账号";
pub const FIRST_RUN_HINT: &str =
    "本机还没有任何账号。请先创建赛务（管理员）账号，之后由赛务为裁判长、裁判和监督创建账号。";
pub const YOUR_NAME: &str = "姓名";
pub const CREATE_COORDINATOR: &str = "创建赛务账号";
pub const PINS_DIFFER: &str = "两次输入的 PIN 不一致";
pub const IDLE_SIGNED_OUT: &str = "长时间未操作，已自动退出登录";
pub const FILTER_NAMES: &str = "筛选";

pub fn wrong_pin(failures: u32) -> String {
    let left = crate::core::signin::FREE_ATTEMPTS.saturating_sub(failures);
    if left > 0 {
        format!("PIN 错误（第 {failures} 次）。再错 {left} 次后需等待")
    } else {
        format!("PIN 错误（第 {failures} 次）。连续错误 15 次将锁定账号")
    }
}
pub fn wait_seconds(s: i64) -> String {
    format!("错误次数过多，请等待 {s} 秒后再试")
}
pub const ACCOUNT_LOCKED: &str = "账号已锁定，请联系赛务解锁";
pub const UNKNOWN_ACCOUNT: &str = "没有此账号";
pub fn signed_in_as(name: &str, role: &str) -> String {
    format!("{name}（{role}）")
}

// ---- screens ----------------------------------------------------------------------------
pub const SCREEN_GRID: &str = "评分表";
pub const SCREEN_PROGRESS: &str = "评分进度";
pub const SCREEN_FLAGS: &str = "差异处理";
pub const SCREEN_OVERSIGHT: &str = "监督确认";
pub const SCREEN_CHECKIN: &str = "检录与抽签";
pub const SCREEN_PEOPLE: &str = "选手与单位";
pub const SCREEN_ACCOUNTS: &str = "账号";
pub const SCREEN_SETTINGS: &str = "赛项设置";
pub const SCREEN_RESULTS: &str = "成绩";
pub const SCREEN_CHARTS: &str = "统计图";
pub const SCREEN_AUDIT: &str = "操作日志";
pub const SCREEN_REGISTRATION: &str = "报名导入";
pub const SCREEN_PRINTING: &str = "打印中心";
pub const SCREEN_CERT_CHECK: &str = "证书查验";
pub const SCREEN_SAFETY: &str = "数据安全";
pub const SCREEN_SCORE_IMPORT: &str = "成绩导入";
pub const NO_POOLS: &str = "您没有被分配到任何赛项组别，请联系赛务";
pub const CHOOSE_POOL: &str = "请在左侧选择赛项组别";

// ---- judge's grid -----------------------------------------------------------------------
pub const NOT_DRAWN: &str = "本赛项组别尚未抽签，抽签后才能评分";
pub const GRID_HINT: &str = "直接输入分数，回车或 Tab 保存并移动，方向键移动，Esc 取消；Ctrl+回车 提交本行，Ctrl+Shift+回车 提交整表";
pub const ENTER_MOVES: &str = "回车后";
pub const MOVE_RIGHT: &str = "向右 →";
pub const MOVE_DOWN: &str = "向下 ↓";
pub const SAVED: &str = "已保存";
pub const SUBMIT_ROW: &str = "提交";
pub const SUBMITTED: &str = "已提交";
pub const SUBMIT_SHEET: &str = "提交整张评分表";
pub const MEASUREMENT: &str = "客观";
pub const MEASURE_HINT: &str = "客观项由两位裁判分别录入（互不可见），一致即确认";
pub const MEASUREMENT_AGREED: &str = "两人一致，已确认";
pub fn closed_cell(workstation: u32, criterion: &str) -> String {
    format!("工位 {workstation} 的{criterion}已由两位裁判录入一致的数值，不需再录")
}
pub fn others_entered(n: usize) -> String {
    format!("已有{n}人录")
}
pub fn grid_progress(done: usize, need: usize, submitted: usize, rows: usize) -> String {
    format!("已录 {done}/{need} 项 · 已提交 {submitted}/{rows} 人")
}
pub fn saved_value(ws: u32, code: &str, value: &str) -> String {
    format!("已保存：工位 {ws} {code} = {value}")
}
pub fn cell_problem(ws: u32, code: &str, reason: &str) -> String {
    format!("工位 {ws} {code}：{reason}")
}
pub fn frozen_cell(ws: u32) -> String {
    format!("工位 {ws} 的评分已提交，需裁判长退回后才能修改")
}
pub fn confirm_submit_row(ws: u32) -> String {
    format!("提交工位 {ws} 的评分？提交后不能再修改，除非裁判长退回。")
}
pub const CONFIRM_SUBMIT_SHEET: &str =
    "提交整张评分表？所有选手的主观评分项都须已录入。提交后不能再修改，除非裁判长退回。";
pub const CONFIRM: &str = "确定";
pub const CANCEL: &str = "取消";
pub const CLOSE: &str = "关闭";
pub const SAVE: &str = "保存";
pub fn max_label(max: &str) -> String {
    format!("满分 {max}")
}

// ---- chief judge ------------------------------------------------------------------------
pub const LOCK: &str = "锁定本赛项组别";
pub const UNLOCK: &str = "解锁（需监督）";
pub const LOCK_READY: &str = "成绩完整，差异均已处理，可以锁定";
pub const REOPEN: &str = "退回";
pub const REOPEN_TITLE: &str = "退回已提交的评分";
pub const ALL_ROWS: &str = "全部已提交的选手";
pub const REASON: &str = "理由";
pub const NOTE: &str = "说明";
pub const SUPERVISOR: &str = "监督";
pub const SUPERVISOR_PIN: &str = "监督 PIN";
pub const UNLOCK_TITLE: &str = "解锁：需裁判长与监督共同确认";
pub const ACCEPT: &str = "接受";
pub const RESCORE: &str = "重评";
pub const ACCEPTED: &str = "已接受";
pub const UNRESOLVED: &str = "未处理";
pub const NO_FLAGS: &str = "没有评分差异或客观分不一致";
pub const ACCEPT_TITLE: &str = "接受评分差异";
pub const RESCORE_TITLE: &str = "要求重评";
pub const THEORY_MISSING: &str = "缺理论成绩";
pub fn lock_blockers(missing: usize, flags: usize, conflicts: usize) -> String {
    format!("待录入 {missing} 项 · 未处理差异 {flags} 项 · 客观分不一致 {conflicts} 项")
}
pub fn rescore_which(judge: &str, value: &str) -> String {
    format!("{judge}：{value}")
}
pub fn spread_of(value: &str, limit: u32) -> String {
    format!("{value}（限 {limit}%）")
}

// ---- supervisor -------------------------------------------------------------------------
pub const CONFIRM_DECRYPT: &str = "确认并解密";
pub const PUBLISH: &str = "公示";
pub const FINALIZE: &str = "定稿";
pub const APPEALS: &str = "申诉";
pub const NEW_APPEAL: &str = "登记申诉";
pub const LEADER: &str = "领队";
pub const RECEIVED_AT: &str = "收到时间";
pub const CONTENT: &str = "申诉内容";
pub const OUTCOME: &str = "处理结果";
pub const KEEP_SCORES: &str = "维持原成绩";
pub const CHANGE_SCORES: &str = "更正成绩";
pub const SCORE_CHANGE: &str = "改分";
pub const THEORY_ITEM: &str = "理论成绩";
pub const NEW_VALUE: &str = "新分数";
pub const APPLY_CHANGE: &str = "记录改分";
pub const CLOSE_APPEAL: &str = "结束申诉";
pub const NO_APPEALS: &str = "暂无申诉";
pub const PUBLISHED_AT: &str = "公示时间";
pub fn appeal_deadline(at: &str) -> String {
    format!("申诉期限：比赛结束后 2 小时内（截至 {at}）")
}
pub fn appeal_title(id: i64, unit: &str, leader: &str) -> String {
    format!("申诉 #{id} · {unit} · 领队 {leader}")
}
pub const OVERSIGHT_HINT: &str = "锁定 → 确认并解密 → 公示（2 小时申诉期）→ 定稿";

// ---- coordinator ------------------------------------------------------------------------
pub const CHECK_IN_HINT: &str = "逐一核验身份证，标记正常或缺考；全部检录后抽签";
pub const MARK_PRESENT: &str = "正常";
pub const MARK_ABSENT: &str = "缺考";
pub const RUN_DRAW: &str = "抽签（检录号与工位号）";
pub const REDRAW: &str = "重新抽签";
pub const DRAW_SEED: &str = "抽签种子";
pub const VERIFY_DRAW: &str = "核验抽签";
pub const DRAW_VERIFIED: &str = "核验通过：按记录的种子重新抽签，结果与保存的一致";
pub const DRAW_MISMATCH: &str = "核验失败：保存的号码与种子重新抽签的结果不一致";
pub const DRAW_NO_SEED: &str = "本赛项组别没有可核验的抽签种子";
pub const WRITE_SHEETS: &str = "导出对照表";
pub const CONFIRM_DRAW: &str = "现在抽签？抽签后检录结果不能再更改，裁判只能看到工位号。";
pub fn sheets_written(dir: &str) -> String {
    format!("对照表已写入 {dir}（打印后装入信封密封，交监督保管）")
}
pub fn checkin_counts(present: usize, absent: usize, total: usize) -> String {
    format!("正常 {present} 人 · 缺考 {absent} 人 · 共 {total} 人")
}
pub fn drawn_count(n: usize) -> String {
    format!("已抽签：{n} 人")
}
pub const SEARCH: &str = "搜索";
pub const SEARCH_HINT: &str = "姓名、单位或工位号";
pub const SHOW_ID: &str = "显示";
pub const EDIT: &str = "编辑";
pub const EDIT_CONTESTANT: &str = "修改选手信息";
pub const UNITS: &str = "单位";
pub const RENAME: &str = "改名";
pub const CONTESTANTS: &str = "选手";
pub const ADD_ACCOUNT: &str = "新建账号";
pub const ASSIGN_POOLS: &str = "分配赛项组别";
pub const RESET_ACCOUNT: &str = "解锁 / 重设 PIN";
pub const NEW_PIN_OPTIONAL: &str = "新 PIN（留空则不变）";
pub const ACCOUNT_OK: &str = "正常";
pub fn account_waiting(failures: u32) -> String {
    format!("错误 {failures} 次")
}
pub const ACCOUNT_LOCKED_SHORT: &str = "已锁定";
pub const SETTINGS_LOCKED: &str = "已开始评分，设置只读";
pub const END_DATE: &str = "结束日期";
pub const THEORY_WEIGHT: &str = "理论权重 %";
pub const TIE_BREAKERS: &str = "并列区分顺序";
pub const MOVE_UP: &str = "上移";
pub const SCHEME: &str = "评分方案";
pub const SCHEME_COLS: [&str; 6] = ["编号", "名称", "满分", "步长", "阶段/维度", "方式"];
pub const SCHEME_EDIT_COLS: [&str; 8] =
    ["编号", "名称", "满分", "步长", "阶段", "维度", "方式", ""];
pub const ADD_CRITERION: &str = "+ 增加评分项";
pub const SAVE_SCHEME: &str = "保存评分方案";
pub const CRITERION_NAME_HINT: &str = "评分项名称";
pub const CRITERION_MAX_HINT: &str = "满分";
pub const UNDO_SCHEME: &str = "放弃修改";
pub const REMOVE_ROW_HINT: &str = "删除该评分项";
pub const END_TIME: &str = "比赛结束时间";
pub const TIME_FORMAT_HINT: &str = "16:30";
pub const END_TIME_HINT: &str = "申诉须在结束后 2 小时内提出；不填则以裁判长锁定成绩的时间为准";
pub fn scheme_total(total: &str) -> String {
    format!("满分合计 {total} / 100")
}
pub fn scheme_field_problem(row: usize, field: &str, reason: &str) -> String {
    format!("第 {row} 行“{field}”：{reason}")
}
pub const NO_VENUE: &str = "（未定）";
pub const DATE_FORMAT_HINT: &str = "2023-11-15";
pub const BAD_DATE: &str = "日期应写作 2023-11-15";

// ---- results, charts, audit -------------------------------------------------------------
pub const NAMES_HIDDEN: &str = "解密前只显示工位号";
pub const DISTRIBUTION: &str = "总成绩分布";
pub const CONSISTENCY: &str = "裁判一致性：各裁判评分与全体平均的偏差（主观评分项，占满分 %）";
pub const SCATTER: &str = "各裁判评分（纵轴）与全体平均（横轴），占满分 %";
pub const COUNT: &str = "人数";
pub const SCORE_AXIS: &str = "分数";
pub const DEVIATION: &str = "平均偏差 %";
pub const NO_CHART_DATA: &str = "暂无可统计的成绩";
pub const ANY: &str = "全部";
pub const FILTER_POOL: &str = "赛项组别";
pub const FILTER_ACTOR: &str = "操作人";
pub const FILTER_CONTESTANT: &str = "选手";
pub const APPLY_FILTER: &str = "查询";
pub fn audit_count(n: usize) -> String {
    format!("{n} 条记录（最新在前）")
}

/// `一等奖: 名次 2 并列 3 人，累计名额 3，均获一等奖`.
pub fn overflow_line(prize: &str, rank: u32, tied: u32, limit: u32) -> String {
    format!("{prize}: 名次 {rank} 并列 {tied} 人，累计名额 {limit}，均获{prize}")
}

/// `由 操作技能成绩 区分`.
pub fn tie_break_reason(breaker: &str) -> String {
    format!("由{breaker}区分")
}

pub const STARTUP_REFUSED: &str = "无法打开这个数据库";
pub const DATABASE_DAMAGED: &str = "数据库文件已损坏，为避免丢失成绩，本程序不会在其上继续工作。";
pub const NEWEST_BACKUP: &str = "最新的已校验备份:";
pub const RESTORE_BACKUP: &str = "从该备份恢复";
pub const RESTORED_RESTART: &str = "已恢复。请关闭此窗口并重新打开程序。";
pub const NO_BACKUP: &str =
    "没有找到可用的备份。请联系赛务，用其他电脑上的备份恢复（judgedesk restore）。";
pub const BACKUP_FAILED: &str = "自动备份失败，请手动备份: ";

pub fn progress(done: usize, total: usize) -> String {
    format!("{done} / {total}")
}

// ---- 数据安全 -------------------------------------------------------------------------
pub const SAFETY_TAB_BACKUPS: &str = "备份与恢复";
pub const SAFETY_TAB_DEVICES: &str = "评分机登记";
pub const SAFETY_TAB_EXCHANGE: &str = "U盘数据交换";
pub const SAFETY_TAB_CONFLICTS: &str = "合并冲突";
pub const SAFETY_TAB_VERIFY: &str = "完整性校验";
pub const BACKUPS_HINT: &str =
    "锁定、公示时以及评分期间每 10 分钟自动备份到数据库旁的备份文件夹；每份备份写完即校验。";
pub const BACKUP_NOW: &str = "立即备份";
pub const BACKUP_TO: &str = "另存备份到（如U盘）:";
pub const WRITE_BACKUP: &str = "写入备份";
pub const BACKUP_LIST: &str = "备份文件夹中的备份（最新在前）";
pub const NO_BACKUPS_YET: &str = "还没有备份。";
pub const COL_FILE: &str = "文件";
pub const COL_SIZE: &str = "大小";
pub const VERIFY_FILE: &str = "校验";
pub const RESTORE: &str = "恢复…";
pub const RESTORE_FROM_FILE: &str = "从其他备份文件恢复:";
pub const CHOOSE_FILE: &str = "选择文件…";
pub const CHOOSE_PLACE: &str = "选择位置…";
pub const BACKUP_PATH_HINT: &str = "备份文件的保存路径";
pub const RESTORE_PATH_HINT: &str = "要恢复的备份文件路径";
pub const BUNDLE_IN_HINT: &str = "数据包文件路径";
pub const PLEASE_CONFIRM: &str = "请确认";
pub const RESTORE_REASON: &str = "恢复理由";
pub const RESTORE_REASON_HINT: &str = "备份与本机记录不符（较旧、被截短等）时必填";
pub const RESTORE_EXPLAINED: &str =
    "先校验备份文件和审计链，不通过则不恢复；当前数据库另存到备份文件夹。恢复后需重新登录。";
pub const RESTORE_NEEDS_FILE: &str = "内存中的数据库不能恢复";
pub const REOPEN_FAILED: &str = "恢复后无法重新打开数据库，请关闭并重新启动程序：";
pub const DEVICES_HINT: &str =
    "每台评分机有自己的签名密钥。在其他评分机的本页查看其公钥，在这里登记后，才接受它的数据包。";
pub const DEVICE_NAME: &str = "名称";
pub const DEVICE_NAME_HINT: &str = "如 3号评分机";
pub const FINGERPRINT: &str = "指纹";
pub const PUBLIC_KEY: &str = "公钥";
pub const PUBLIC_KEY_HINT: &str = "64 位十六进制";
pub const COPY: &str = "复制";
pub const TRUSTED_DEVICES: &str = "已登记的评分机";
pub const NO_TRUSTED_DEVICES: &str = "还没有登记其他评分机。";
pub const TRUST_DEVICE: &str = "登记一台评分机";
pub const TRUST: &str = "登记";
pub const EXCHANGE_HINT: &str = "导出本机录入的评分到U盘（写入后读回校验），在另一台评分机导入。同一数据包导入两次不会重复；与本机不同的数值成为合并冲突，由裁判长裁决。";
pub const EXPORT_BUNDLE: &str = "导出本机评分数据包";
pub const BUNDLE_PATH_HINT: &str = "U盘上的文件路径，如 E:/评分数据.jdbundle";
pub const WRITE_BUNDLE: &str = "导出";
pub const IMPORT_BUNDLE: &str = "导入其他评分机的数据包";
pub const MERGE_BUNDLE: &str = "校验并合并";
pub const SAFE_TO_REMOVE: &str = "数据包已写入并读回校验，可以安全拔出U盘。";
pub const CONFLICTS_HINT: &str = "同一裁判、同一选手、同一评分项在两台评分机上的数值不同。请核对纸质评分表后裁决，不会自动选择。";
pub const NO_CONFLICTS: &str = "没有待裁决的合并冲突。";
pub const KEEP_LOCAL: &str = "采用本机数值";
pub const KEEP_INCOMING: &str = "采用对方数值";
pub const KEEP_LOCAL_QUESTION: &str = "采用本机的数值，关闭该冲突？";
pub const KEEP_INCOMING_QUESTION: &str = "采用对方评分机的数值（作为新记录追加），关闭该冲突？";
pub const VERIFY_HINT: &str = "检查数据库文件完整性，并逐条核对评分与审计记录的哈希链和签名：被修改、删除或绕过本程序插入的记录都会列出。";
pub const VERIFY_DATABASE: &str = "校验本数据库";
pub const THIS_DATABASE: &str = "本数据库";
pub const LOCK_HEADS: &str = "各赛项组别锁定时的审计链头（与锁定后打印的评分表核对）";

pub fn backed_up(path: &str) -> String {
    format!("已备份并校验: {path}")
}

pub fn backup_facts(entries: i64, links: i64, bytes: u64) -> String {
    format!(
        "{entries} 条评分记录，审计链 {links} 条，{}",
        size_kb(bytes)
    )
}

pub fn size_kb(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1024))
}

pub fn bundle_written(path: &str, entries: usize, bytes: usize) -> String {
    format!("{path}：{entries} 条评分记录，{}", size_kb(bytes as u64))
}

pub fn bundle_merged(device: &str, added: usize, already: usize, conflicts: usize) -> String {
    if conflicts == 0 {
        format!("已合并 {device} 的数据包：新增 {added} 条，已有 {already} 条")
    } else {
        format!(
            "已合并 {device} 的数据包：新增 {added} 条，已有 {already} 条，{conflicts} 处冲突待裁判长裁决"
        )
    }
}

pub fn verified_line(what: &str, clean: bool) -> String {
    if clean {
        format!("{what}：校验通过")
    } else {
        format!("{what}：校验未通过，发现以下问题")
    }
}

pub fn chain_facts(links: usize, root: &str, signers: usize) -> String {
    format!("审计链 {links} 条记录完整、签名有效（创建设备 {root}，共 {signers} 台设备签名）")
}

pub fn device_added(name: &str) -> String {
    format!("已登记评分机 {name}")
}

pub fn device_renamed(name: &str) -> String {
    format!("该评分机已改名为 {name}")
}

pub fn device_unchanged(name: &str) -> String {
    format!("评分机 {name} 早已登记")
}

pub fn conflict_resolved(id: i64) -> String {
    format!("合并冲突 #{id} 已裁决")
}

pub fn restore_question(path: &str) -> String {
    format!("用备份 {path} 替换当前数据库？")
}

pub fn restored(file: &str, aside: Option<&str>) -> String {
    match aside {
        Some(aside) => format!("已从 {file} 恢复，原数据库另存为 {aside}。请重新登录"),
        None => format!("已从 {file} 恢复。请重新登录"),
    }
}

pub fn scheme_saved(pool: &str, n: usize) -> String {
    format!("{pool} 评分方案已保存：{n} 个评分项")
}

pub fn scheme_cell_name(row: usize, column: &str) -> String {
    format!("第 {row} 项 {column}")
}

// ---- registration, logistics, roster ----------------------------------------------------
pub const REG_TAB_IMPORT: &str = "导入报名表";
pub const REG_TAB_LOGISTICS: &str = "住宿与接站";
pub const REG_TAB_ROSTER: &str = "名单导出";
pub const CHOOSE_FORMS: &str = "选择报名表文件…";
pub const CHOOSE_FORMS_TITLE: &str = "选择要导入的报名表（可多选）";
pub const FILE_PATH_HINT: &str = "或输入文件路径";
pub const ADD_FILE: &str = "添加";
pub const WRITE_TEMPLATE: &str = "下载报名表模板…";
pub const DROP_HINT: &str =
    "可以一次选择多个报名表，也可以把文件拖到窗口上。报名表与选手名册（CSV/XLSX）均可。";
pub const NO_FILES: &str = "还没有选择文件";
pub const REMOVE: &str = "×";
pub const CLEAR_FILES: &str = "清空";
pub const PREVIEW: &str = "预检";
pub const IMPORT: &str = "导入";
pub const PREVIEW_FIRST: &str = "先预检：核对将新增、更新的选手和发现的问题，确认无误后再导入";
pub const PREVIEW_STALE: &str = "文件已变化，请重新预检";
pub const FIX_ERRORS: &str = "有错误，修正报名表后重新预检；错误全部解决才能导入";
pub const NEED_REASONS: &str = "超出名额的选手须逐一填写特批理由（记入操作日志）才能导入";
pub const READY_TO_IMPORT: &str = "没有错误，可以导入；警告不影响导入";
pub const OVER_QUOTA_TITLE: &str = "超出名额，须特批";
pub const OVERRIDE_REASON: &str = "特批理由";
pub const PROBLEMS_TITLE: &str = "问题";
pub const CHANGES_TITLE: &str = "将更新的内容";
pub const CHANGED_TITLE: &str = "已更新的内容";
pub const COL_KIND: &str = "类别";
pub const COL_SHEET: &str = "工作表";
pub const COL_ROW: &str = "行";
pub const COL_FIELD: &str = "字段";
pub const COL_MESSAGE: &str = "说明";
pub const NO_PROBLEMS: &str = "没有发现问题";
pub const FILE_NOT_FOUND: &str = "找不到这个文件";
pub const EXPORT_FOLDER: &str = "导出到文件夹";
pub const EXPORT_DIR_NAME: &str = "报名导出";
pub const CHOOSE_FOLDER: &str = "选择…";
pub const CHOOSE_FOLDER_TITLE: &str = "选择导出文件夹";
pub const TEMPLATE_FILE: &str = "报名表模板.xlsx";
pub const LOGISTICS_FILE: &str = "住宿与接站";
pub const ROSTER_FILE: &str = "选手名单";
pub const FULL_ID_FILE: &str = "完整身份证号";
pub const ALL_POOLS: &str = "全部赛项组别";
pub const LOAD_LOGISTICS: &str = "刷新汇总";
pub const EMPTY_TABLE: &str = "（暂无）";
pub const NO_LOGISTICS: &str = "还没有单位回执（导入报名表后在此汇总）";
pub const EXPORT_XLSX: &str = "导出 Excel";
pub const EXPORT_PDF: &str = "导出 PDF";
pub const EXPORT_ROSTER: &str = "导出名单 Excel";
pub const SHOW_FULL_IDS: &str = "显示完整身份证号（将记入日志）";
pub const ROSTER_HINT: &str =
    "每个赛项组别一张工作表，交决赛地点签到用；身份证号默认只显示前 4 位和后 4 位。";
pub const LOGISTICS_HINT: &str = "按单位回执汇总：各决赛地点每晚的标间、单间和男女人数，按日期的抵达（航班或车次），以及人数与回执总数的核对。";
pub fn preview_counts(added: usize, updated: usize, unchanged: usize) -> String {
    format!("新增 {added} 人 · 更新 {updated} 人 · 不变 {unchanged} 人")
}
pub fn problem_counts(errors: usize, warnings: usize) -> String {
    format!("错误 {errors} 个 · 警告 {warnings} 个")
}
pub fn imported(added: usize, updated: usize, unchanged: usize) -> String {
    format!("已导入：新增 {added} 人，更新 {updated} 人，不变 {unchanged} 人")
}
pub fn previewed(files: usize) -> String {
    format!("已预检 {files} 个文件，数据库未改动")
}
pub fn file_written(path: &str) -> String {
    format!("已保存到 {path}")
}
pub fn full_ids_written(path: &str) -> String {
    format!("已保存到 {path}（含完整身份证号，已记入操作日志，请妥善保管）")
}
// ---- print centre -----------------------------------------------------------------------
pub const PRINT_KIND: &str = "文件";
pub const KIND_CERTIFICATES: &str = "荣誉证书";
pub const KIND_DRAFTS: &str = "证书样张";
pub const KIND_CALIBRATION: &str = "套打校准页";
pub const KIND_PUBLICATION: &str = "成绩公示";
pub const KIND_SCORE_SHEETS: &str = "裁判评分表";
pub const KIND_ROSTERS_PDF: &str = "获奖名册（PDF）";
pub const KIND_ROSTERS_XLSX: &str = "获奖名册（Excel）";
pub const PRINT_POOL: &str = "范围";
pub const PAPER: &str = "纸张";
pub const LAYOUT: &str = "版式";
pub const PRINTER: &str = "打印机";
pub const PRINTER_HINT: &str = "新打印机的名称";
pub const OFFSET_X: &str = "X 偏移";
pub const OFFSET_Y: &str = "Y 偏移";
pub const MM: &str = " 毫米";
pub const SAVE_OFFSET: &str = "保存偏移";
pub const OFFSET_HINT: &str =
    "先打印校准页，对折纸张读出中线刻度，把偏移（向右、向下为正）填入后保存，再打印套打证书。";
pub const TABLE_DRAFT: &str = "样张（定稿前试印，带“样张”字样）";
pub const DRAFT_NOTE: &str =
    "样张带“样张”水印，页上的证书编号只是预览（不占用、不登记），无二维码，定稿前即可打印。";
pub const FINAL_NOTE: &str =
    "正式证书须在赛项组别定稿后打印：首次打印编号、签名并登记，再次打印记为重印。";
pub const OUTPUT: &str = "保存到";
pub const SAVE_AS: &str = "另存为…";
pub const PRINT_TO_PDF: &str = "打印到 PDF";
pub const SAVE_TITLE: &str = "保存打印文件";
pub const PRINTING: &str = "正在生成文件…";
pub const OPEN: &str = "打开";
pub const PREVIEW_TITLE: &str = "预览（第 1 页）";
pub const PREVIEW_BUILDING: &str = "正在生成预览…";
pub const PREVIEW_NONE: &str = "没有可预览的内容";
pub const PREVIEW_XLSX: &str = "Excel 名册与 PDF 名册内容相同，此处按 PDF 版式预览。";
pub const PREVIEW_PROVISIONAL: &str = "尚未签发的证书显示暂定编号，二维码在正式打印时签名生成。";
pub const REGISTER: &str = "证书登记簿";
pub const REGISTER_EMPTY: &str = "本赛项组别尚未签发证书";
pub const REGISTER_POOL: &str = "在左侧选择一个赛项组别以查看其证书登记簿";
pub const COL_NUMBER: &str = "证书编号";
pub const COL_PRINTS: &str = "打印";
pub const CERT_VALID: &str = "有效";
pub const CERT_VOID: &str = "已作废";
pub const REPRINT: &str = "重印";
pub const VOID: &str = "作废";
pub const REASON_REQUIRED: &str = "理由（必填）";
pub const CHOOSE_CERTIFICATE: &str = "点选一张证书后可重印或作废";
pub fn written(path: &str) -> String {
    format!("已写入 {path}")
}
pub fn pages(n: usize) -> String {
    format!("共 {n} 页")
}
pub fn preview_pages(n: usize) -> String {
    format!("第 1 页，共 {n} 页")
}
pub fn certificates_written(kind: &str, n: usize, issued: usize, reprinted: usize) -> String {
    format!("{kind} {n} 张（新发 {issued}，重印 {reprinted}）")
}
pub fn drafts_written(n: usize) -> String {
    format!("{KIND_DRAFTS} {n} 张（编号仅为预览、未登记）")
}
pub fn confirm_void(number: &str) -> String {
    format!("作废证书 {number}？作废后该编号不再有效、不再使用；下次整批打印会为获奖者签发新编号。")
}
pub fn voided(number: &str) -> String {
    format!("已作废 {number}")
}
pub fn reprinted(number: &str, path: &str) -> String {
    format!("已重印 {number} 到 {path}")
}
pub fn offset_saved(printer: &str, x: f32, y: f32) -> String {
    format!("打印机“{printer}”的套打偏移：X {x:+.1} 毫米，Y {y:+.1} 毫米")
}
pub fn void_state(at: &str, reason: &str) -> String {
    format!("已作废 {at}（{reason}）")
}

// ---- certificate check ------------------------------------------------------------------
pub const CHECK_HINT: &str = "用扫码枪扫描证书上的二维码（或粘贴二维码内容），回车即查验。";
pub const CHECK_FIELD: &str = "二维码内容";
pub const CHECK: &str = "查验";
pub const CHECKING: &str = "正在查验…";
pub const CLEAR: &str = "清空";
pub const SCANNED: &str = "扫描内容";
pub const HOLDER: &str = "持证人";
pub const AWARD: &str = "获奖内容";
pub const ISSUED_ON: &str = "发证日期";
pub const VERDICT_INVALID: &str = "无效";
pub const VERDICT_FORGED: &str = "签名不符";
pub const VERDICT_NO_KEY: &str = "无法核验";
pub const VALID_NOTE: &str = "编号已登记，签名与登记内容一致。";
pub const PRINT_FOLDER: &str = "打印";
pub const FILE_CERTIFICATES: &str = "证书";
pub const FILE_DRAFTS: &str = "证书样张";
pub const FILE_CALIBRATION: &str = "校准页";
pub const FILE_PUBLICATION: &str = "成绩公示";
pub const FILE_SCORE_SHEETS: &str = "评分表";
pub const FILE_ROSTERS: &str = "获奖名册";
pub const FILE_REPRINT: &str = "证书重印";
pub const FILE_DRAFT_SUFFIX: &str = "样张";
pub fn logistics_loaded(tables: usize) -> String {
    format!("住宿与接站汇总已更新（{tables} 张表）")
}

pub fn locked_at_link(seq: i64) -> String {
    format!("（审计链第 {seq} 条，已载入评分表）")
}

// ---- 成绩导入 ---------------------------------------------------------------------------
pub const SCORES_THEORY: &str = "理论成绩";
pub const SCORES_PRACTICAL: &str = "纸质评分";
pub const SCORES_THEORY_COLUMNS: &str =
    "考试系统导出的理论成绩，列：赛项, 组别, 身份证号, 理论成绩";
pub const SCORES_PRACTICAL_COLUMNS: &str = "从纸质评分表录入或其他评分机导出的操作技能评分，列：赛项, 组别, 身份证号 或 工位号, 裁判, 评分项, 分数";
pub const SCORES_HINT: &str = "CSV（UTF-8 或 GBK）或 Excel；可一次选多个文件，也可以拖到窗口上。有错误则全部不导入，数据库不变。";
pub const CHOOSE_SCORE_FILES: &str = "选择成绩文件…";
pub const SCORE_FILE_HINT: &str = "或输入成绩文件路径";

pub fn import_scores_button(kind: &str) -> String {
    format!("导入{kind}")
}

pub fn scores_imported(kind: &str, changed: usize) -> String {
    format!("{kind}已导入：{changed} 项有变化")
}

pub fn scores_refused(problems: usize) -> String {
    format!("未导入：发现 {problems} 处问题，数据库未改动。请修正文件后重新导入")
}

// ---- status changes after the draw -------------------------------------------------------
pub const CHANGE_STATUS: &str = "更改选手状态";
pub const CHANGE_STATUS_BUTTON: &str = "更改状态…";
pub const CURRENT_STATUS: &str = "当前状态：";
pub const STATUS_CONSEQUENCES: &str = "保存后：";
pub const STATUS_REASON: &str = "理由（记入审计日志）";
pub const STATUS_REASON_HINT: &str = "如：未按时到场、中途退出、违反赛场纪律";
pub const SAVE_STATUS: &str = "保存状态";
pub fn status_changed(status: &str) -> String {
    format!("选手状态已改为{status}")
}

// ---- audit before decryption -------------------------------------------------------------
/// The audit action of a draw (its values hold the seed).
pub const AUDIT_DRAW: &str = "抽签";
pub const SEED_HIDDEN: &str = "（抽签种子解密后可见）";

// ---- questions before irreversible steps -------------------------------------------------
fn ask(title: String, happens: &[&str], irreversible: &str, yes: &str, then: Action) -> Action {
    Action::Ask(Box::new(Question {
        title,
        happens: happens.iter().map(|s| s.to_string()).collect(),
        irreversible: irreversible.to_string(),
        yes: yes.to_string(),
        then,
    }))
}
pub fn ask_lock(pool: &str, submitted: usize, rows: usize, then: Action) -> Action {
    let submitted = format!("裁判已提交 {submitted}/{rows} 行评分（未提交的也将一并锁定）");
    ask(
        format!("锁定 {pool}？"),
        &[
            submitted.as_str(),
            "所有裁判不能再录入或修改评分",
            "成绩交监督确认并解密",
            "锁定时的审计链位置记入评分表",
        ],
        "锁定后只有裁判长与监督共同解锁（须写理由并记入审计日志）才能再改分。",
        "锁定",
        then,
    )
}
pub fn ask_decrypt(pool: &str, then: Action) -> Action {
    ask(
        format!("确认并解密 {pool}？"),
        &["成绩确认无误", "工位号与选手姓名、单位对应，所有人可见姓名"],
        "解密不能撤销：姓名一旦显示，不能再隐藏。",
        "确认并解密",
        then,
    )
}
pub fn ask_publish(pool: &str, then: Action) -> Action {
    ask(
        format!("公示 {pool} 的成绩？"),
        &[
            "成绩进入公示，申诉期开始（比赛结束后 2 小时内可书面申诉）",
            "自动备份数据库",
        ],
        "公示不能撤销；此后成绩只能通过申诉更改。",
        "公示",
        then,
    )
}
pub fn ask_finalize(pool: &str, then: Action) -> Action {
    ask(
        format!("定稿 {pool}？"),
        &["成绩与奖项成为最终结果，可以打印正式证书", "不再受理申诉"],
        "定稿不能撤销：此后任何成绩与奖项都不能再更改。",
        "定稿",
        then,
    )
}
pub const NEW_LAPTOP_KEY: &str = "注意：本机的签名密钥对这个数据库是新的（密钥文件夹可能丢失，或这是另一台电脑）。此后录入的记录将用新密钥签名，校验时会被标为未登记。请先联系技术支持：找回原来的密钥文件，或把本机公钥登记为可信评分机。";
pub fn lock_not_ready(missing: usize, flags: usize, conflicts: usize) -> String {
    let mut why = Vec::new();
    if missing > 0 {
        why.push(format!("还有 {missing} 项待录入"));
    }
    if flags > 0 {
        why.push(format!("{flags} 项评分差异未处理"));
    }
    if conflicts > 0 {
        why.push(format!("{conflicts} 项客观分不一致"));
    }
    format!("暂不能锁定：{}", why.join("，"))
}
pub const DISQUALIFY_AT: &str = "取消资格（本赛项组别）：";
pub fn workstation(ws: u32) -> String {
    format!("工位 {ws}")
}
pub fn appeal_person(ws: u32, name: &str, total: &str) -> String {
    format!("工位 {ws} {name}（总分 {total}）")
}
pub fn current_value(value: &str) -> String {
    format!("当前 {value}")
}
pub const REPRINT_PUBLICATION_BUTTON: &str = "重新打印成绩公示";
pub fn publication_out_of_date(appeal: i64, decided_at: Option<&str>) -> String {
    format!(
        "申诉 #{appeal} 更改了成绩（{}）：已打印的成绩公示已过时，请重新打印。",
        decided_at.unwrap_or("时间未记录")
    )
}
pub const REPRINT_PUBLICATION: &str = "成绩已更改：公示须重新打印（赛务在“打印中心”打印成绩公示）";
pub const RESCORE_CELL: &str = "待重评";
pub fn rescore_requests(n: usize) -> String {
    format!("裁判长要求重评 {n} 项（重新录入即完成）：")
}
pub fn rescore_line(ws: u32, criterion: &str, reason: &str) -> String {
    format!("工位 {ws} {criterion}：{reason}")
}
pub fn rescore_line_for_chief(judge: &str, ws: u32, criterion: &str, reason: &str) -> String {
    format!("{judge} · 工位 {ws} {criterion}：{reason}")
}
pub fn open_rescores(n: usize) -> String {
    format!("未完成的重评 {n} 项")
}
pub fn missing_cells(n: usize) -> String {
    format!("待录入 {n} 项（展开查看）")
}
pub fn missing_line(ws: u32, criterion: &str, judge: Option<&str>) -> String {
    match judge {
        Some(judge) => format!("工位 {ws} {criterion} · {judge}"),
        None => format!("工位 {ws} {criterion} · 客观项须两位裁判录入"),
    }
}
/// The window could not start with any renderer (the renderers tried follow).
pub const WINDOW_FAILED: &str = "窗口无法启动（已依次试过各种绘制方式；可用 --renderer glow 或 --renderer wgpu 指定，见使用说明）";
/// A renderer failed after the window had begun: no second window is started.
pub const WINDOW_ALREADY_STARTED: &str = "窗口已启动过一次";

// ---- what a finished request says in the status line ------------------------------------

pub const WORKER_DIED: &str = "后台任务意外中止，请重新启动程序";
/// The folder beside the database the mapping sheets are written into.
pub const MAPPING_SHEETS_FOLDER: &str = "对照表";

pub fn submitted(n: usize) -> String {
    format!("已提交 {n} 名选手的评分")
}
pub fn reopened(n: usize) -> String {
    format!("已退回 {n} 名选手的评分")
}
pub fn flag_accepted(criterion: &str) -> String {
    format!("已接受 {criterion} 的评分差异")
}
pub fn rescore_requested(criterion: &str) -> String {
    format!("已要求重评 {criterion}")
}
pub fn pool_locked(pool: &str) -> String {
    format!("{pool} 已锁定")
}
pub fn pool_unlocked(pool: &str) -> String {
    format!("{pool} 已解锁")
}
pub fn pool_decrypted(pool: &str) -> String {
    format!("{pool} 已确认并解密")
}
pub fn pool_published(pool: &str) -> String {
    format!("{pool} 已公示")
}
pub fn pool_finalized(pool: &str) -> String {
    format!("{pool} 已定稿")
}
pub fn appeal_recorded(id: i64) -> String {
    format!("已登记申诉 #{id}")
}
pub fn appeal_change_recorded(appeal: i64) -> String {
    format!("申诉 #{appeal} 的改分已记录，名次已重新计算")
}
pub fn appeal_decided(appeal: i64) -> String {
    format!("申诉 #{appeal} 已处理")
}
pub fn checked_in(status: &str) -> String {
    format!("检录：{status}")
}
pub fn draw_done(pool: &str, n: usize) -> String {
    format!("{pool} 抽签完成：{n} 人")
}
/// The recorded draw redone: the same (`Some(true)`), different, or no seed recorded.
pub fn draw_verified(same: Option<bool>) -> String {
    match same {
        Some(true) => DRAW_VERIFIED,
        Some(false) => DRAW_MISMATCH,
        None => DRAW_NO_SEED,
    }
    .to_string()
}
pub fn contestant_edited(name: &str) -> String {
    format!("已修改 {name}")
}
pub fn unit_renamed(name: &str) -> String {
    format!("单位已改名为 {name}")
}
pub fn account_added(name: &str) -> String {
    format!("已新建账号 {name}")
}
pub fn pools_set(name: &str) -> String {
    format!("已更新 {name} 的赛项组别")
}
pub fn account_reset(name: &str) -> String {
    format!("账号 {name} 已解锁")
}
pub fn settings_saved(pool: &str) -> String {
    format!("{pool} 设置已保存")
}
pub fn cannot_open(path: &str, error: &str) -> String {
    format!("无法用系统程序打开 {path}：{error}")
}

impl Screen {
    pub fn label(self) -> &'static str {
        match self {
            Screen::Grid => SCREEN_GRID,
            Screen::Progress => SCREEN_PROGRESS,
            Screen::Flags => SCREEN_FLAGS,
            Screen::Oversight => SCREEN_OVERSIGHT,
            Screen::CheckIn => SCREEN_CHECKIN,
            Screen::People => SCREEN_PEOPLE,
            Screen::Accounts => SCREEN_ACCOUNTS,
            Screen::Settings => SCREEN_SETTINGS,
            Screen::Results => SCREEN_RESULTS,
            Screen::Charts => SCREEN_CHARTS,
            Screen::Audit => SCREEN_AUDIT,
            Screen::Registration => SCREEN_REGISTRATION,
            Screen::Printing => SCREEN_PRINTING,
            Screen::CertCheck => SCREEN_CERT_CHECK,
            Screen::Safety => SCREEN_SAFETY,
            Screen::ScoreImport => SCREEN_SCORE_IMPORT,
        }
    }
}

// Chinese labels of the API's enum values (the API speaks English codes; the board speaks Chinese).
// A value without a label is shown as its code.

export const STATUS = {
  RECEIVED: '已登记',
  ACCEPTED: '已受理',
  DISPATCHED: '已派单',
  INVESTIGATING: '处理中',
  PENDING_REVIEW: '待审核',
  PENDING_APPROVAL: '待审批',
  RESOLVED: '已办结',
  REPLIED: '已答复',
  CLOSED: '已结案',
  ARCHIVED: '已归档',
  REJECTED: '不予受理',
  WITHDRAWN: '已撤诉',
};

export const ACTION = {
  REGISTER: '登记',
  ACCEPT: '受理',
  REJECT: '不予受理',
  RESOLVE_ON_SPOT: '当场解决',
  DISPATCH: '派单',
  ACKNOWLEDGE: '接单',
  RETURN: '退单',
  DELEGATE: '转派',
  RECORD_INVESTIGATION: '调查记录',
  DETERMINE_RESPONSIBILITY: '责任认定',
  SUBMIT_REPORT: '提交处理报告',
  CONFIRM_REPORT: '确认报告',
  REVIEW_REPORT: '审核报告',
  CONTACT_CUSTOMER: '联系客户',
  REPLY_TO_CUSTOMER: '答复客户',
  RECORD_CALLBACK: '回访',
  ARCHIVE: '归档',
  WITHDRAW: '撤诉',
  SUSPEND: '挂起',
  RESUME: '恢复',
  ESCALATE: '升级',
  DECIDE_ESCALATION: '升级审批',
  ADD_SUPERVISION_NOTE: '督办意见',
  OPEN_SUPERVISION: '发起督办',
  HAND_OVER_SUPERVISION: '移交督办',
  REPORT_PROGRESS: '报告进展',
  ANSWER_CONTACT: '答复来电',
  FORWARD_CONTACT: '转交',
  CONVERT_TO_COMPLAINT: '转为投诉',
  RECORD_TRANSFER_FEEDBACK: '反馈转办单位',
  REQUEST_EXTENSION: '申请延期',
  DECIDE_EXTENSION: '延期审批',
  SLA_WARNING: '时限预警',
  SLA_BREACH: '超时',
  ANONYMISE: '匿名化',
  MIGRATE_NOTES: '备注迁移',
};

export const CLOCK = {
  REGISTER: '登记',
  ACCEPT: '受理',
  ANSWER: '首次答复',
  INITIAL_INVESTIGATION: '初查',
  INITIAL_RESULT: '初步结果',
  RESOLVE: '办结',
  CLOSE: '结案',
  REPLY: '答复',
  RECONTACT: '再次联系',
  ARCHIVE: '归档',
  ASSIGNMENT: '派单处理',
  PROGRESS: '督办进展',
  REPAIR: '修复',
  FEEDBACK: '转办反馈',
  RECTIFY: '整改',
  NOTICE: '书面通报',
};

export const CLOCK_STATE = {
  RUNNING: '计时中',
  WARNING: '预警',
  BREACHED: '已超时',
  MET: '按时完成',
  MISSED: '超时完成',
  PAUSED: '暂停',
  CANCELLED: '已取消',
};

export const SEVERITY = { ORDINARY: '一般', MAJOR: '重大', URGENT: '紧急' };

export const CATEGORY = {
  SERVICE_QUALITY: '服务质量',
  NETWORK_TECHNICAL: '网络技术',
  TARIFF_POLICY: '资费政策',
  PROCESS: '业务流程',
  BILLING_DISPUTE: '计费争议',
  CALL_COMPLETION: '呼叫接续',
  SMS_BLOCKING: '短信拦截',
  NUMBER_PORTABILITY: '携号转网',
  SETTLEMENT: '网间结算',
};

export const CHANNEL = {
  PHONE: '电话',
  EMAIL: '邮件',
  LETTER: '信函',
  VISIT: '来访',
  ONLINE: '网上',
  APP: '客户端',
  SOCIAL_MEDIA: '社交媒体',
  BUSINESS_HALL: '营业厅',
  API: '接口',
};

export const ALERT = { WARNING: '预警', BREACH: '超时' };

export const label = (map, code) => (code == null ? '—' : (map[code] ?? code));

/** "2026-11-23T10:00:00.000+08:00" → "11-23 10:00:00" (the API serves +08:00, D57: shown as served, whatever the browser's zone). */
export const when = (iso) => (iso ? `${iso.slice(5, 10)} ${iso.slice(11, 19)}` : '—');
/** Only the time of day. */
export const time = (iso) => (iso ? iso.slice(11, 19) : '—');

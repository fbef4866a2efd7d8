"""The words and pattern pieces of the 评(扣)分标准 language: numbers, units, verbs, the slips of real tables."""
from __future__ import annotations

import re

from ..units import unit_info


NUM = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十百]+)"
# what a band gives: points (计4分) or a share of the 分值 (得80%分值, 得分值的80%)
WORTH = r"(?:计|得)(?:(?P<points>{NUM})分|(?:(?:指标)?分值的)?(?P<share>{NUM})%的?(?:(?:指标)?分值)?)"
SUBJECT = r"(?P<subject>[^\d,;。]*?)"
PLAIN_SUBJECT = r"(?P<subject>[^\d零一二两三四五六七八九十百每,;。]*?)"  # no count of its own (每项, 三个月)
BAND_UNITS = r"人次|万人|人|万元|亿元|元|个|件|项|次|家|起|例|场|篇|册|台|套|户|名|期|分|个工作日|工作日|天|日|小时"  # 8-9个
COUNTS = frozenset("个 件 项 次 家 起 例 场 篇 册 台 套 户 名 期 人 人次".split())  # whole things: 8-9个 includes 9
LINE_UNITS = (r"%|个百分点|个小时|小时|分钟|个工作日|工作日|天|日|亿元|万元|元|万人次|人次|万人|人|次|起|件|项|家|"
               r"个(?!月|季度)|套|间|台|户|名|场|篇|册|期|份|条|宗|张|页|组|所|座|辆|批|例|处")  # 10个以上得满分
STEP_UNITS = (r"个百分点|百分点|%|个工作日|工作日|个小时|小时|分钟|天|日|个星期|星期|周|个月|月|个季度|季度|年|万元|元|项|个|部门|单位|"
               r"人次|人|次|件|家|条|册|台|套|场|批|篇|"
               r"份|期|宗|起|例|页|张|组|间|种|名|所|户|辆|笔")
LATE_UNITS = r"个工作日|工作日|天|日|个月|月|个季度|季度|年"  # how late after 逾期 (逾期3个月以上)
ZERO_UNITS = (r"%|个百分点|个工作日|工作日|个小时|小时|分钟|天|日|个月|个季度|季度|亿元|万元|元|万人次|人次|万人|次|起|例|件|项|家|个"
               r"(?!月)|人|分")  # 低于/超过 X…: not 9月 nor 2022年 (dates); 分 after 分钟
PERCENT_UNITS = frozenset({"%", "个百分点", "百分点"})
TIME = frozenset(unit_info(u).dimension for u in ("天", "工作日"))  # what a deadline's lateness is counted in
WORKDAYS = unit_info("工作日").dimension
MONEY = unit_info("元").dimension
CALENDAR = {"月": 1, "个月": 1, "季度": 3, "个季度": 3, "年": 12}  # on a deadline: calendar months per unit
CALENDAR_READINGS = {1: ("截止日起每满一个月为一个月", "每月按365/12天折算"),
                      3: ("截止日起每满三个月为一个季度", "每季度按365/4天折算"),
                      12: ("截止日起每满十二个月为一年", "每年按365天折算")}
ANY_COUNT = frozenset({"个", "次"})  # 每少一个, 每发生一次: one of whatever the row counts (起, 家, 人…)
SUB_DAY = frozenset({"小时", "个小时", "分钟"})  # time a completion date cannot tell
DEVIATION = ("偏离", "偏差", "误差")  # steps counting the distance from the line (deviation = "both": either way)
EXCESS = ("超过", "超出", "超支", "超", "多", "上升", "提高", "发生", "出现", "有", "增加")  # what lies beyond the line
SHORTFALL = ("降低", "减少", "下降", "少完成", "少", "低于", "低", "差", "偏离", "偏差", "误差", "差距", "未完成",
              "不足")  # steps counting what is missing
LATENESS = ("延迟", "延期", "延后", "推迟", "滞后", "拖延", "逾期")  # steps counting days late on a deadline
LATE_WORDS = (*LATENESS, "超期", "超时", "延误", "迟延", "未按时", "未按期")
WHOLE_DAYS = frozenset(("天", "日", "工作日", "个工作日"))  # 逾期1-5天 includes 5 where no band starts there
BEYOND_WORDS = ("超过", "超出", "超支", "多于", "增加", "上升", "降低", "下降", "减少", "少于", "低于目标", "差距", "相差", "差额")  # (超支5%以内:
# how far from the target, which a band of the value would misread)
WITHIN = ("以内", "之内", "内", "(含)以内")  # 5%以内得8分: after words of a change, a distance (上浮5%以内, 多用时1小时以内)
WITHIN_BEYOND = (*BEYOND_WORDS, "超", "多", "增", "减", "降", "升", "偏", "浮", "涨", "误差")  # what says a clause measures how late (逾期1-5天得8分)
STEP_VERBS = ("降低", "减少", "下降", "少完成", "少", "低于", "低", "差", *DEVIATION, *EXCESS, *LATENESS)  # 每降低 …
OCCURRENCES = ("起", "例", "次")  # a step in these without a verb counts what happened (有效投诉每起扣2分)
OF_TARGET = re.compile(r"(?:目标值?|指标值|计划(?:数|值)?|年度指标)的?$")  # 达到目标值的90%: a share of the target
STRICT = ("高于", "大于", "超过", "低于", "小于", ">", "<")  # 高于95%得满分: the line itself is not enough
MEASURES_SHORTFALL = re.compile(r"(?:降低|减少|下降|少|低于|偏离|偏差|误差|差距|未完成|不足)(?:率|度|幅度)?$")  # 降低超过20%
OVER_LINE = ("超过", "高于", "大于")  # 超过5%的，…: a lead-in of a 反向 row
NONE_AT_ALL = re.compile(r"零(?:[^\d,;。]{0,6}?)(?:投诉|事故|差错|失误|违规|违纪|伤亡|死亡|上访|信访|缺陷|返工|故障|舆情|"
                          r"案件|错误|不良事件|漏报|误报|污染)(?:率|次数|事件|发生)?")  # 零投诉, 零安全事故, 零差错率 (not 零售, 零星)
HAPPENED = ("发生", "出现", "超支")  # 发生重大事故不得分, 超支不得分: of 反向 rows counting things or money
SLIPS = [  # the slips real tables contain, and what they mean (domain.md)
    (re.compile(r"\((扣完为止|减完为止|扣至0分为止|满分为止)\)"), r",\1"),  # 扣1分(扣完为止): a clause of its own
    (re.compile(r"得0份"), "得0分"),
    (re.compile(r"(?<=[%分])\.(?=,|$)"), ""),  # "扣指标分值的5%.," → "…5%,"
    (re.compile(r"扣\d+分值(?=\d)"), "扣分值"),  # "扣5分值5%" → "扣分值5%"
    (re.compile(r"扣指标值(?=\d)"), "扣指标分值"),  # "扣指标值5%" is a share of the 分值
    (re.compile(r"…+|\.{2,}"), ","),
    (re.compile(r"(?<=[分%])(?=(?:以此|依此|依次|照此)类推)"), ","),  # 每降低5%扣2分以此类推: a clause of its own
]

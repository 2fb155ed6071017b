"""Unique enterprise names and 统一社会信用代码, drawn in vectors and kept unique across chunks.

A name is brand + industry phrase + form + suffix (恒瑞 精密机械 科技 有限公司), with no city
or zone in it, so that moving an enterprise never makes its name lie. Each name and each USCC
body is an integer key; a sorted array of the keys used so far (8 bytes each) rejects repeats,
which are redrawn (with a three-character brand, for names), so a million enterprises stay unique
in little memory.
"""

from collections.abc import Callable

import numpy as np

from kaifaqu.catalog.uscc import ALPHABET, WEIGHTS
from kaifaqu.demo import profiles

BRAND_CHARS = (
    "华恒瑞泰鑫达盛嘉丰源宏润永安康宁远新兴隆昌荣金银通汇联创博星辰海天正德信诚和顺益明光辉腾飞凯豪"
    "威力邦振东方亚欧环宇晨旭阳春晖峰岳江川林森禾田宸睿智贤诺亿万千合众群立成捷迅锦绣云鼎佳优美"
)
PHRASES: dict[str, tuple[str, ...]] = {
    "13": ("食品", "粮油", "饲料", "农产品", "肉类加工", "米业"),
    "14": ("食品", "乳业", "调味品", "烘焙食品", "营养食品", "糖果"),
    "15": ("酒业", "饮料", "茶业", "酿造", "饮品"),
    "16": ("卷烟", "烟草制品"),
    "17": ("纺织", "织造", "印染", "家纺", "纱线", "丝绸"),
    "18": ("服饰", "制衣", "针织服装", "时装", "服装"),
    "19": ("鞋业", "皮革", "羽绒制品", "箱包"),
    "20": ("木业", "竹木制品", "人造板", "木制品"),
    "21": ("家具", "家居", "办公家具", "软体家具"),
    "22": ("纸业", "包装材料", "纸制品", "特种纸"),
    "23": ("印务", "彩印", "包装印刷", "印刷"),
    "24": ("文具", "体育用品", "工艺品", "玩具", "乐器"),
    "25": ("石化", "能源", "焦化", "燃料"),
    "26": ("化工", "精细化工", "新材料", "化学", "涂料", "日化"),
    "27": ("药业", "制药", "生物医药", "医药", "生物科技"),
    "28": ("化纤", "纤维", "新纤维材料"),
    "29": ("塑业", "橡胶", "塑胶制品", "塑料", "高分子材料"),
    "30": ("建材", "陶瓷", "玻璃", "水泥", "石材", "新型建材"),
    "31": ("钢铁", "特钢", "钢业", "冶金"),
    "32": ("铜业", "铝业", "有色金属", "合金材料"),
    "33": ("五金", "金属制品", "紧固件", "钢结构", "模具"),
    "34": ("机械", "精密机械", "液压", "泵业", "阀门", "轴承", "传动", "动力机械"),
    "35": ("装备", "智能装备", "专用设备", "机电", "自动化设备", "医疗器械"),
    "36": ("汽车部件", "汽配", "车业", "汽车电子", "车辆"),
    "37": ("船舶", "轨道交通装备", "航空部件", "车辆装备"),
    "38": ("电气", "电器", "电机", "线缆", "新能源", "照明", "电池"),
    "39": ("电子", "光电", "微电子", "通信", "半导体", "智能科技"),
    "40": ("仪器", "仪表", "测控", "光学", "计量"),
    "41": ("制品", "日用品", "工贸"),
    "42": ("再生资源", "资源利用", "环保"),
    "43": ("设备维修", "机电修理", "工程服务"),
    "44": ("热电", "电力", "能源", "新能源发电"),
    "45": ("燃气", "天然气"),
    "46": ("水务", "供水", "水业"),
}
FORMS = ("", "科技", "实业", "制造")
FORM_SHARES = (0.5, 0.25, 0.1, 0.15)
SUFFIXES = ("有限公司", "股份有限公司")

_PHRASE_LIST: tuple[str, ...] = tuple(phrase for code in profiles.CODES for phrase in PHRASES[code])
_PHRASE_START = np.cumsum([0] + [len(PHRASES[code]) for code in profiles.CODES])
_NB = len(BRAND_CHARS)
# Mixed-radix key: brand1, brand2, brand3 (0 = none), phrase, form, suffix.
_RADICES = (_NB, _NB, _NB + 1, len(_PHRASE_LIST), len(FORMS), len(SUFFIXES))


class UniqueKeys:
    """Integer keys used so far (sorted), to redraw repeats within and across chunks."""

    def __init__(self) -> None:
        self.used = np.empty(0, dtype=np.int64)

    def repeats(self, keys: np.ndarray) -> np.ndarray:
        """True where a key was used before or repeats an earlier key in ``keys``."""
        seen = np.zeros(len(keys), dtype=bool)
        if len(self.used):
            at = np.searchsorted(self.used, keys).clip(max=len(self.used) - 1)
            seen = self.used[at] == keys
        first = np.zeros(len(keys), dtype=bool)
        first[np.unique(keys, return_index=True)[1]] = True
        return seen | ~first

    def draw(self, n: int, draw: Callable[[np.ndarray, int], np.ndarray]) -> np.ndarray:
        """``draw(rows, attempt)`` gives keys for the rows; repeats are redrawn until none is
        left."""
        keys = draw(np.arange(n), 0)
        for attempt in range(1, 100):
            again = np.flatnonzero(self.repeats(keys))
            if not len(again):
                break
            keys[again] = draw(again, attempt)
        else:  # pragma: no cover - only if the key space were nearly exhausted
            raise RuntimeError("could not draw unique keys")
        self.used = np.sort(np.concatenate([self.used, keys]))
        return keys


def name_keys(
    rng: np.random.Generator, industry: np.ndarray, large: np.ndarray, unique: UniqueKeys
) -> np.ndarray:
    """Unique name keys for enterprises of the given industry indices (into ``profiles.CODES``)."""
    counts = np.diff(_PHRASE_START)

    def draw(rows: np.ndarray, attempt: int) -> np.ndarray:
        n = len(rows)
        ind = industry[rows]
        phrase = _PHRASE_START[ind] + (rng.random(n) * counts[ind]).astype(np.int64)
        # Retries take a third brand character: the space grows a hundredfold.
        third = rng.integers(1, _NB + 1, n) if attempt else np.zeros(n, dtype=np.int64)
        suffix = (rng.random(n) < np.where(large[rows], 0.45, 0.04)).astype(np.int64)
        digits = (
            rng.integers(0, _NB, n),
            rng.integers(0, _NB, n),
            third,
            phrase,
            rng.choice(len(FORMS), size=n, p=FORM_SHARES),
            suffix,
        )
        return _compose(digits, _RADICES)

    return unique.draw(len(industry), draw)


def names_from_keys(keys: np.ndarray) -> list[str]:
    b1, b2, b3, phrase, form, suffix = (d.tolist() for d in _decompose(keys, _RADICES))
    return [
        BRAND_CHARS[x1] + BRAND_CHARS[x2] + ("" if not x3 else BRAND_CHARS[x3 - 1])
        + _PHRASE_LIST[p] + FORMS[f] + SUFFIXES[s]
        for x1, x2, x3, p, f, s in zip(b1, b2, b3, phrase, form, suffix, strict=True)
    ]  # fmt: skip


# USCC: '9' 工商 + '1' 企业 + county code + 9-character 主体标识码 + check character. Since 2016 new
# registrations' 主体标识码 begin with "MA"; older ones carry their former organisation code.
_BODY_RADICES = (31,) * 9
_M, _A = ALPHABET.index("M"), ALPHABET.index("A")


def uscc_body_keys(
    rng: np.random.Generator, new_style: np.ndarray, unique: UniqueKeys
) -> np.ndarray:
    def draw(rows: np.ndarray, attempt: int) -> np.ndarray:
        digits = rng.integers(0, 31, (9, len(rows)))
        digits[0] = np.where(new_style[rows], _M, digits[0])
        digits[1] = np.where(new_style[rows], _A, digits[1])
        return _compose(tuple(digits), _BODY_RADICES)

    return unique.draw(len(new_style), draw)


def usccs(county_codes: np.ndarray, body_keys: np.ndarray) -> list[str]:
    """Full codes from six-digit county codes (as strings) and body keys, check character computed
    in one vector pass over the 17 leading characters."""
    lookup = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
    n = len(body_keys)
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0], values[:, 1] = 9, 1
    values[:, 2:8] = (
        np.frombuffer("".join(county_codes).encode(), dtype=np.uint8).reshape(n, 6) - 48
    )
    values[:, 8:] = np.stack(_decompose(body_keys, _BODY_RADICES), axis=1)
    check = (31 - (values * np.array(WEIGHTS)).sum(axis=1) % 31) % 31
    chars = lookup[np.concatenate([values, check[:, None]], axis=1)]
    codes: list[str] = chars.view("S18").ravel().astype(str).tolist()
    return codes


def _compose(digits: tuple[np.ndarray, ...], radices: tuple[int, ...]) -> np.ndarray:
    key = np.zeros(len(digits[0]), dtype=np.int64)
    for digit, radix in zip(digits, radices, strict=True):
        key = key * radix + digit
    return key


def _decompose(keys: np.ndarray, radices: tuple[int, ...]) -> list[np.ndarray]:
    digits = []
    for radix in reversed(radices):
        keys, digit = np.divmod(keys, radix)
        digits.append(digit)
    return digits[::-1]

/**
 * Chinese customer names for the demo data and the benchmark generator: common
 * surnames and given names, combined at random.
 */
export const SURNAMES = '王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 欧阳'.split(' ');
export const GIVEN = '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平'.split(' ');

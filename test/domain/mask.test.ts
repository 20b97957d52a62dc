import { describe, expect, it } from 'vitest';
import {
  maskAccount,
  maskAddress,
  maskCustomer,
  maskName,
  maskPhone,
} from '../../src/domain/mask.js';

describe('D50 name mask', () => {
  it('D50: a 2-character name keeps its first character: 张三 → 张*', () => {
    expect(maskName('张三')).toBe('张*');
  });
  it('D50: a 3-character name keeps its first character: 欧阳娜 → 欧**', () => {
    expect(maskName('欧阳娜')).toBe('欧**');
  });
  it('D50: a 4-character name keeps its first character: 欧阳娜娜 → 欧***', () => {
    expect(maskName('欧阳娜娜')).toBe('欧***');
  });
  it('D50: a 1-character name is fully masked', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('')).toBe('');
  });
  it('D50: characters are counted as code points (astral characters, Latin names)', () => {
    expect(maskName('𠀀二')).toBe('𠀀*');
    expect(maskName('John Smith')).toBe('J*********');
  });
});

describe('D50 phone mask', () => {
  it('D50: an 11-digit mobile keeps the first 3 and last 4 digits: 13812345678 → 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('D50: a fixed line with area code and hyphen is read as its digits: 020-87654321 → 020****4321', () => {
    expect(maskPhone('020-87654321')).toBe('020****4321');
    expect(maskPhone('0755 1234 5678')).toBe('075*****5678');
  });
  it('D50: a number shorter than 11 digits keeps only the last 4: 87654321 → ****4321', () => {
    expect(maskPhone('87654321')).toBe('****4321');
  });
  it('D50: a 5-digit service number keeps its last 4: 10000 → *0000', () => {
    expect(maskPhone('10000')).toBe('*0000');
  });
  it('D50: fewer than 5 digits are all masked', () => {
    expect(maskPhone('1234')).toBe('****');
  });
  it("D50: a leading '+' is kept and the first 3 digits include the country code", () => {
    expect(maskPhone('+8613812345678')).toBe('+861******5678');
    expect(maskPhone('+12345')).toBe('+*2345');
  });
});

describe('D50 address mask', () => {
  it('D50: an address keeps up to its district: 广东省广州市天河区体育西路1号 → 广东省广州市天河区****', () => {
    expect(maskAddress('广东省广州市天河区体育西路1号')).toBe('广东省广州市天河区****');
  });
  it('D50: an address keeps up to its county or banner', () => {
    expect(maskAddress('广东省梅州市大埔县湖寮镇1号')).toBe('广东省梅州市大埔县****');
    expect(maskAddress('内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇')).toBe(
      '内蒙古自治区呼伦贝尔市鄂温克族自治旗****',
    );
  });
  it('D50: the district is the first one, not one in the street part', () => {
    expect(maskAddress('广州市天河区工业区路2号')).toBe('广州市天河区****');
  });
  it('D50: an autonomous region or a residential compound is not a district', () => {
    expect(maskAddress('新疆维吾尔自治区乌鲁木齐市天山区解放路1号')).toBe(
      '新疆维吾尔自治区乌鲁木齐市天山区****',
    );
    expect(maskAddress('东莞市幸福小区3栋')).toBe('东莞市幸福小****');
  });
  it('D50: an address without a district keeps its first 6 characters', () => {
    expect(maskAddress('Room 5, Some Road')).toBe('Room 5****');
    expect(maskAddress('东莞市南城街道某路88号')).toBe('东莞市南城街****');
  });
  it('D50: a short address without a district still hides at least one character', () => {
    expect(maskAddress('某路88号')).toBe('某路88****');
    expect(maskAddress('A')).toBe('****');
  });
});

describe('D50 account mask', () => {
  it('D50: an account number keeps its last 4 characters, one * per hidden character', () => {
    expect(maskAccount('12345678')).toBe('****5678');
    expect(maskAccount('BB-20261123-0042')).toBe('************0042');
  });
  it('D50: an account number of 4 characters or fewer is all masked', () => {
    expect(maskAccount('5678')).toBe('****');
    expect(maskAccount('78')).toBe('**');
  });
});

describe('D50 customer mask', () => {
  it('D50: masks every personal field, keeps nulls and other fields', () => {
    const masked = maskCustomer({
      id: 'c1',
      name: '张三',
      phone: '13812345678',
      address: '广东省广州市天河区体育西路1号',
      accountNumber: null,
    });
    expect(masked).toEqual({
      id: 'c1',
      name: '张*',
      phone: '138****5678',
      address: '广东省广州市天河区****',
      accountNumber: null,
    });
    expect(
      maskCustomer({ name: null, phone: null, address: null, accountNumber: '12345678' }),
    ).toEqual({
      name: null,
      phone: null,
      address: null,
      accountNumber: '****5678',
    });
  });
});

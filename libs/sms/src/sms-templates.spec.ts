import {
  NOTIFICATION_KINDS,
  renderSms,
  smsCatalogue,
  smsCatalogueSchema,
  templateFor,
  templateParams,
} from './sms-templates';

describe('the SMS template catalogue', () => {
  it('has one valid template per notification kind', () => {
    const catalogue = smsCatalogue();
    expect(catalogue.templates.map((t) => t.kind).sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });

  it('refuses a text whose placeholders do not match the named parameters', () => {
    const catalogue = structuredClone(smsCatalogue());
    catalogue.templates[0]!.text = '受理编号{2}';
    const result = smsCatalogueSchema.safeParse(catalogue);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['templates', 0, 'text']);
  });

  it('refuses two templates with one provider id', () => {
    const catalogue = structuredClone(smsCatalogue());
    catalogue.templates[1]!.id = catalogue.templates[0]!.id;
    expect(smsCatalogueSchema.safeParse(catalogue).success).toBe(false);
  });

  it('fills the parameters in order and signs the text as the provider does', () => {
    const template = templateFor('door_code');
    const params = templateParams(template, {
      trackingNumber: 'TB1',
      code: '123456',
      expiryDate: '2026-12-18',
    });
    expect(params).toEqual(['TB1', '123456', '2026-12-18']);
    expect(renderSms('通办通取', template, params)).toBe(
      '【通办通取】您的办件结果（运单号TB1）将派送上门，签收时请向投递员出示取件码123456，2026-12-18前有效。',
    );
  });

  it('refuses to fill a template with a missing value', () => {
    expect(() => templateParams(templateFor('door_code'), { trackingNumber: 'TB1' })).toThrow('needs code');
  });
});

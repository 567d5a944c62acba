/**
 * The feature as a host meets it: the factory's start-up errors, the texts AdminJS sends in each language, and the
 * confirmation component going through AdminJS's own bundler.
 */
import { expect } from 'chai';
import path from 'node:path';
import AdminJS, { ComponentLoader } from 'adminjs';
import { SingleSessionConfigError } from '../../src/index.js';
import { singleSessionFeature, withSingleSessionTranslations } from '../../src/adminjs.js';
import { ACTIONS as A } from '../../src/adminjs/actions.js';
import { COMPONENTS } from '../../src/adminjs/components.js';
import { TEXTS } from '../../src/adminjs/locales/index.js';
import { bundleComponents } from '../support/sessions.js';
import { createAdminFixture, type AdminFixture } from '../support/admin.js';

const LANGUAGES = ['en', 'nl', 'de', 'fr', 'es', 'pl'] as const;

/** The Redux state AdminJS embeds in its pages (what the browser gets: locale, resources, …). */
function reduxState(html: string): any {
  const match = /window\.REDUX_STATE = (\{.*?\});\n/s.exec(html);
  if (!match) throw new Error(`no REDUX_STATE in the page: ${html.slice(0, 200)}`);
  return JSON.parse(match[1]!);
}

describe('AdminJS feature: factory, translations, component', function () {
  this.timeout(180_000);
  let f: AdminFixture;
  before(async () => { f = await createAdminFixture(); });
  after(async () => f?.close());

  describe('the factory checks its options at build time', () => {
    const loader = () => new ComponentLoader();
    const cases: Array<[string, () => unknown, RegExp]> = [
      ['no options', () => singleSessionFeature(undefined as any), /options must be an object/],
      ['no singleSession', () => singleSessionFeature({ componentLoader: loader() } as any), /`singleSession` is required.*createSingleSession/],
      ['a wrong singleSession', () => singleSessionFeature({ singleSession: {} as any, componentLoader: loader() }), /must be the object returned by createSingleSession/],
      ['a wrong componentLoader', () => singleSessionFeature({ singleSession: f.singleSession, componentLoader: {} as any }), /must be an AdminJS ComponentLoader/],
      ['`can` not a function', () => singleSessionFeature({ singleSession: f.singleSession, componentLoader: loader(), can: 'admin' as any }), /`can` must be a function/],
      ['a bad maxIds', () => singleSessionFeature({ singleSession: f.singleSession, componentLoader: loader(), maxIds: 0 }), /`maxIds` must be a positive integer/],
      ['an unknown option', () => singleSessionFeature({ singleSession: f.singleSession, componentLoader: loader(), permission: 'x' } as any), /unknown option `permission`/],
    ];
    for (const [what, build, message] of cases) {
      it(`throws a clear SingleSessionConfigError for ${what}`, () => {
        expect(build).to.throw(SingleSessionConfigError, message);
      });
    }

    it('registers its components with the AdminJS instance\'s own loader (none passed, or the same one)', () => {
      for (const given of [undefined, new ComponentLoader()]) {
        const admin = new AdminJS({
          ...(given ? { componentLoader: given } : {}),
          resources: [{ resource: f.User, options: { id: 'User' }, features: [singleSessionFeature({ singleSession: f.singleSession, ...(given ? { componentLoader: given } : {}) })] }],
        });
        for (const { name } of [COMPONENTS.confirm, COMPONENTS.userSessions]) {
          const file = admin.componentLoader.getComponents()[name];
          expect(file, name).to.be.a('string');
          expect(path.isAbsolute(file!)).to.equal(true);
        }
      }
    });

    it('refuses, when AdminJS builds the resource, a componentLoader that is not the AdminJS instance\'s', () => {
      const feature = singleSessionFeature({ singleSession: f.singleSession, componentLoader: new ComponentLoader() });
      expect(() => new AdminJS({ resources: [{ resource: f.User, options: { id: 'User' }, features: [feature] }] }))
        .to.throw(SingleSessionConfigError, /singleSessionFeature: it was given a different `componentLoader` than the AdminJS instance.*Pass the same loader to both/);
    });

    it('keeps the resource\'s own translations (they win over the feature\'s)', () => {
      const feature = singleSessionFeature({ singleSession: f.singleSession, componentLoader: f.admin.componentLoader });
      const options = feature(f.admin, { translations: { en: { actions: { [A.logoutUsers]: 'Kick out' }, properties: { email: 'E-mail' } } } });
      expect(options.translations!.en!.actions).to.include({ [A.logoutUsers]: 'Kick out', [A.logoutAll]: TEXTS.en.feature.actions[A.logoutAll] });
      expect(options.translations!.en!.properties).to.include({ email: 'E-mail' });
      expect(options.translations!.nl!.actions).to.include({ [A.logoutUsers]: TEXTS.nl.feature.actions[A.logoutUsers] });
      expect(Object.keys(options.actions!)).to.include.members(Object.values(A));
    });

    it('withSingleSessionTranslations merges into a host locale (host texts win)', () => {
      const locale = withSingleSessionTranslations({ language: 'de', translations: { de: { messages: { singleSessionDone: 'Fertig' } } } });
      expect(locale.language).to.equal('de');
      expect(locale.availableLanguages).to.deep.equal(['de']);
      expect(locale.translations!.de!.messages).to.include({ singleSessionDone: 'Fertig', singleSessionEndedRevoked: TEXTS.de.feature.messages.singleSessionEndedRevoked });
    });
  });

  describe('translations', () => {
    it('every language translates every key, keeps the interpolations, and differs from English', () => {
      const en = TEXTS.en;
      for (const language of LANGUAGES) {
        for (const part of Object.keys(en) as Array<keyof typeof en>) {
          const blocks = en[part] as Record<string, Record<string, string>>;
          const translatedBlocks = TEXTS[language][part] as Record<string, Record<string, string>>;
          expect(Object.keys(translatedBlocks), `${language}.${part}`).to.have.members(Object.keys(blocks));
          for (const [block, texts] of Object.entries(blocks)) {
            const where = `${language}.${part}.${block}`;
            expect(Object.keys(translatedBlocks[block]!), where).to.have.members(Object.keys(texts));
            for (const [key, text] of Object.entries(texts)) {
              const translated = translatedBlocks[block]![key]!;
              expect(translated, `${where}.${key}`).to.be.a('string').and.not.equal('');
              const vars = (s: string) => (s.match(/\{\{\w+\}\}/g) ?? []).sort();
              expect(vars(translated), `${where}.${key} placeholders`).to.deep.equal(vars(text));
              if (language !== 'en' && block === 'actions') expect(translated, `${where}.${key}`).not.to.equal(text);
            }
          }
        }
      }
    });

    for (const language of LANGUAGES) {
      it(`AdminJS sends the ${language} texts to the browser (language: '${language}')`, async () => {
        const g = await createAdminFixture({}, { language });
        try {
          const admin = await g.adminLogin('admin@example.com');
          const page = await admin.get('/admin');
          expect(page.status).to.equal(200);
          const { locale } = reduxState(page.text);
          expect(locale.language).to.equal(language);
          const ours = TEXTS[language].feature;
          // Global keys (withSingleSessionTranslations) and the User resource's own (the feature).
          expect(locale.translations[language].actions).to.include(ours.actions);
          expect(locale.translations[language].messages).to.include(ours.messages);
          expect(locale.translations[language].buttons).to.include(ours.buttons);
          expect(locale.translations[language].resources.User.actions).to.include(ours.actions);

          // The login page of a revoked session explains why, with the message in this language's locale.
          await g.singleSession.endUserSessions([await g.userId('admin@example.com')]);
          const login = await admin.get('/admin/login');
          expect(login.text).to.include('singleSessionEndedRevoked');
          expect(reduxState(login.text).locale.translations[language].messages.singleSessionEndedRevoked)
            .to.equal(ours.messages.singleSessionEndedRevoked);
        } finally {
          await g.close();
        }
      });
    }
  });

  describe('the confirmation component', () => {
    it('is bundled by AdminJS\'s own bundler without errors or warnings', async function () {
      this.timeout(300_000);
      const { bundle, warnings } = await bundleComponents(f.admin);
      expect(warnings).to.deep.equal([]);
      expect(bundle).to.include(`AdminJS.UserComponents.${COMPONENTS.confirm.name} = `);
      expect(bundle).to.include('single-session-confirm'); // the component's own code, not a stub
      expect(bundle).to.include("method: 'post'");
      expect(bundle).not.to.match(/from ['"](react|adminjs|@adminjs\/design-system)['"]/); // globals, not imports
    });
  });
});

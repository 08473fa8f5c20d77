import { render } from '@testing-library/react';
import { type ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { type Session, SessionProvider } from '../auth/session';
import { CatalogueProvider } from '../common/catalogue';
import '../i18n/i18n';

export interface StubAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * `fetch` answering by "METHOD path" (query left out); every request is recorded. Component tests
 * stand in for the services here; the browser journeys in tools/e2e use the real ones.
 */
export function stubFetch(answers: Record<string, StubAnswer | ((body: unknown) => StubAnswer)>) {
  const requests: { key: string; body: unknown; headers: Record<string, string> }[] = [];
  global.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const body = init?.body ? (JSON.parse(String(init.body)) as unknown) : undefined;
    requests.push({ key, body, headers: (init?.headers ?? {}) as Record<string, string> });
    const entry = answers[key];
    const answer =
      typeof entry === 'function'
        ? entry(body)
        : (entry ?? { status: 404, body: { message: 'not stubbed' } });
    const text = JSON.stringify(answer.body);
    return {
      ok: answer.status < 400,
      status: answer.status,
      statusText: String(answer.status),
      text: async () => text,
    };
  }) as unknown as typeof fetch;
  return requests;
}

export function renderAt(path: string, route: string, page: ReactNode, session?: Session) {
  if (session) sessionStorage.setItem('tongban.session', JSON.stringify(session));
  return render(
    <SessionProvider>
      <CatalogueProvider>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={page} />
            <Route path="*" element={<div>elsewhere</div>} />
          </Routes>
        </MemoryRouter>
      </CatalogueProvider>
    </SessionProvider>,
  );
}

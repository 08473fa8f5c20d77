import { createContext, type ReactNode, useContext } from 'react';
import { call } from '../api/client';
import { type Catalogue } from '../api/types';
import { useLoad } from './use-load';

const CatalogueContext = createContext<Catalogue | undefined>(undefined);

/** The service catalogue and office / department names, loaded once per page load. */
export function CatalogueProvider({ children }: { readonly children: ReactNode }) {
  const { data } = useLoad(() => call<Catalogue>('console', '/catalogue'), []);
  return <CatalogueContext.Provider value={data}>{children}</CatalogueContext.Provider>;
}

export function useCatalogue(): Catalogue | undefined {
  return useContext(CatalogueContext);
}

export function useNames() {
  const catalogue = useCatalogue();
  return {
    item: (code: string) => catalogue?.items.find((item) => item.code === code)?.name ?? code,
    office: (id: string | null | undefined) =>
      (id && catalogue?.offices.find((office) => office.id === id)?.name) ?? id ?? '',
    department: (id: string | null | undefined) =>
      (id && catalogue?.departments.find((department) => department.id === id)?.name) ?? id ?? '',
  };
}

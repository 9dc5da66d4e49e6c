import { dismissError, useBannerError } from './errors';

/** The global error banner (reportError); it stays until dismissed or replaced. */
export function ErrorBanner() {
  const error = useBannerError();
  if (!error) return null;
  return (
    <div className="banner-error" role="alert" data-testid="banner-error">
      <span>{error.message}</span>
      {/* The × comes from CSS: the banner's text is the message alone. */}
      <button type="button" className="banner-close" onClick={dismissError} aria-label="Dismiss" />
    </div>
  );
}

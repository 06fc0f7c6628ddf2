// Says why the last sign-in did not work; the server redirects here with ?error=code|token.
const reasons = {
  code: 'That sign-in link was used already or has expired. Ask `choiros serve` for a new one by restarting it, or paste the token.',
  token: 'That is not the token of this server.',
};
const error = new URLSearchParams(location.search).get('error');
const box = document.getElementById('login-error');
if (error !== null && box !== null) {
  box.textContent = reasons[error] ?? 'Sign-in failed.';
  box.hidden = false;
}

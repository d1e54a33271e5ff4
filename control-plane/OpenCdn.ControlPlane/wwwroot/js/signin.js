// The sign-in form both pages share: shows it until someone signs in, then calls back.
import { currentUser, signIn, signOut } from './api.js';

/**
 * Wires the form inside `section` (#signin-form, #username, #password, #signin-error) and the sign-out button.
 * `onSignedIn(user)` runs now when a session exists, or after a successful sign-in.
 */
export function setUpSignIn(section, signOutButton, onSignedIn, requiredRole) {
  const form = section.querySelector('form');
  const error = section.querySelector('[role=alert]');
  const show = (user) => {
    section.hidden = !!user;
    signOutButton.hidden = !user;
    if (user) onSignedIn(user);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const user = await signIn(form.username.value, form.password.value);
      if (requiredRole && !user.roles.includes(requiredRole)) {
        signOut();
        throw new Error(`This page needs the ${requiredRole} role.`);
      }
      form.password.value = '';
      show(user);
    } catch (e) {
      error.textContent = e.message;
    }
  });
  signOutButton.addEventListener('click', () => {
    signOut();
    location.reload();
  });
  const user = currentUser();
  show(user && (!requiredRole || user.roles.includes(requiredRole)) ? user : null);
}

package store

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"factdesk/models"
)

// CreateUser stores a user with a bcrypt hash of password.
func (db *DB) CreateUser(ctx context.Context, u *models.User, password string) error {
	u.Normalize()
	f := models.FieldErrors{}
	if err := u.Validate(); err != nil {
		for k, v := range models.ErrorFields(err) {
			f.Add(k, v)
		}
	}
	if err := models.ValidatePassword(password, u.Email); err != nil {
		for k, v := range models.ErrorFields(err) {
			f.Add(k, v)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	now := db.Now()
	u.ID, u.PasswordHash, u.CreatedAt, u.UpdatedAt = 0, string(hash), now, now
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &models.Error{Code: models.ECONFLICT, Message: "a user with this email already exists", Fields: map[string]string{"email": "is taken"}}
			}
			return fmt.Errorf("create user: %w", err)
		}
		return nil
	})
}

// GetUser returns one user.
func (db *DB) GetUser(ctx context.Context, id int64) (*models.User, error) {
	return getUser(db.gorm.WithContext(ctx), id)
}

func getUser(tx *gorm.DB, id int64) (*models.User, error) {
	return get[models.User](tx, "user", id)
}

// ListUsers returns every user by ID.
func (db *DB) ListUsers(ctx context.Context) ([]models.User, error) {
	var users []models.User
	if err := db.gorm.WithContext(ctx).Order("id").Find(&users).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	return countRows[models.User](db.gorm.WithContext(ctx), "users")
}

// UserUpdate changes a user's name, role, disabled flag or password.
type UserUpdate struct {
	Name     *string
	Role     *models.Role
	Disabled *bool
	Password *string
}

// UpdateUser applies u. A disabled user's sessions and tokens stop working
// at once: they are deleted and revoked in the same transaction.
func (db *DB) UpdateUser(ctx context.Context, id int64, u UserUpdate) (*models.User, error) {
	var out *models.User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if out, err = getUser(tx, id); err != nil {
			return err
		}
		setIf(&out.Name, u.Name)
		setIf(&out.Role, u.Role)
		setIf(&out.Disabled, u.Disabled)
		out.Normalize()
		if err := out.Validate(); err != nil {
			return err
		}
		if u.Password != nil {
			hash, err := passwordHash(*u.Password, out.Email)
			if err != nil {
				return err
			}
			out.PasswordHash = hash
		}
		out.UpdatedAt = db.Now()
		if err := tx.Model(&models.User{}).Where("id = ?", id).
			Select("name", "role", "disabled", "password_hash", "updated_at").Updates(out).Error; err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if out.Disabled || u.Password != nil {
			// A reset password is a key changed: the old ones open nothing.
			return db.signOut(tx, id, "")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ChangePassword sets a user's own password, given the current one. Every
// other session of the user ends and every API token is revoked, in the
// same transaction: whoever knew the old password keeps nothing. keep is
// the token of the session the change was made in, "" for none.
func (db *DB) ChangePassword(ctx context.Context, id int64, current, next, keep string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		u, err := getUser(tx, id)
		if err != nil {
			return err
		}
		if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
			return &models.Error{Code: models.EFORBIDDEN, Message: "the current password is wrong",
				Fields: map[string]string{"current_password": "is not your password"}}
		}
		hash, err := passwordHash(next, u.Email)
		if err != nil {
			return err
		}
		if err := tx.Model(&models.User{}).Where("id = ?", id).Updates(map[string]any{"password_hash": hash, "updated_at": db.Now()}).Error; err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return db.signOut(tx, id, keep)
	})
}

// SetPassword sets a user's password from the command line: every session
// ends and every token is revoked.
func (db *DB) SetPassword(ctx context.Context, email, password string) (*models.User, error) {
	probe := models.User{Email: email}
	probe.Normalize()
	var u models.User
	if err := db.gorm.WithContext(ctx).Where("email = ?", probe.Email).First(&u).Error; err != nil {
		return nil, notFound(err, "no user has the email %s", probe.Email)
	}
	return db.UpdateUser(ctx, u.ID, UserUpdate{Password: &password})
}

// passwordHash checks a new password for the account with email against
// the policy and hashes it.
func passwordHash(password, email string) (string, error) {
	if err := models.ValidatePassword(password, email); err != nil {
		return "", err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(hash), nil
}

// signOut ends every session of the user but the one whose token is keep,
// and revokes every API token of the user.
func (db *DB) signOut(tx *gorm.DB, userID int64, keep string) error {
	q := tx.Where("user_id = ?", userID)
	if keep != "" {
		q = q.Where("token_hash <> ?", HashToken(keep))
	}
	if err := q.Delete(&models.Session{}).Error; err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if err := tx.Model(&models.APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", db.Now()).Error; err != nil {
		return fmt.Errorf("revoke tokens: %w", err)
	}
	return nil
}

// Authenticate returns the active user with this email and password. A
// wrong email and a wrong password give the same error, in about the same time.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*models.User, error) {
	probe := models.User{Email: email}
	probe.Normalize()
	var u models.User
	err := db.gorm.WithContext(ctx).Where("email = ?", probe.Email).First(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("authenticate: %w", err)
	}
	hash := u.PasswordHash
	if hash == "" {
		hash = dummyHash
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || u.ID == 0 || u.Disabled {
		return nil, models.Errorf(models.EUNAUTHORIZED, "wrong email or password")
	}
	return &u, nil
}

// dummyHash is compared against when the email is unknown, so a wrong email
// costs as much as a wrong password.
var dummyHash = func() string {
	h, _ := bcrypt.GenerateFromPassword([]byte("factdesk-timing-equaliser"), bcrypt.DefaultCost)
	return string(h)
}()
